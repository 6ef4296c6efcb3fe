;; Defines a memory but does not export it as "memory".
(module
  (memory 1)
  (func (export "run")))
