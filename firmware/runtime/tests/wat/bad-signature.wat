;; Imports wasmbed.log with the wrong signature.
(module
  (import "wasmbed" "log" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "run")))
