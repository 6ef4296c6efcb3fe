;; counter: logs "count 1" .. "count 5" with 10 ms sleeps, then returns.
(module
  ;; @include counter/counter-body.wat
)
