;; A start section: refused (it would run outside the host's accounting).
(module
  (memory (export "memory") 1)
  (func $init)
  (start $init)
  (func (export "run")))
