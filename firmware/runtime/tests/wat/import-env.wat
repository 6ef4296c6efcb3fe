;; Imports a function that is not part of the Wasmbed ABI.
(module
  (import "env" "print" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "run")))
