;; Its entry point takes a parameter.
(module
  (memory (export "memory") 1)
  (func (export "run") (param i32)))
