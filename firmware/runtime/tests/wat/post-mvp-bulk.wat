;; Uses bulk memory and a saturating conversion (post-MVP), in two functions
;; (a scan stops at the first unknown instruction of a body): both are named.
(module
  (memory (export "memory") 1)
  (func (export "run") (memory.fill (i32.const 0) (i32.const 0) (i32.const 1)))
  (func (export "convert") (result i32) (i32.trunc_sat_f32_s (f32.const 1))))
