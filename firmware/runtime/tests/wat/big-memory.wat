;; Needs 20 pages initially: above a 16-page (1 MiB) limit.
(module
  (memory (export "memory") 20)
  (func (export "run")))
