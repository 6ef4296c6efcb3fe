;; Imports its memory instead of defining it.
(module
  (import "wasmbed" "memory" (memory 1))
  (export "memory" (memory 0))
  (func (export "run")))
