;; A data segment past the end of memory: valid, but instantiation traps.
(module
  (memory (export "memory") 1)
  (data (i32.const 65535) "ab")
  (func (export "run")))
