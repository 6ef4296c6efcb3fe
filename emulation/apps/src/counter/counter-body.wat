;; Body of the counter app, shared with big-64k (which adds a large data
;; segment): logs "count 1" .. "count 5", sleeping 10 ms after each, then
;; returns. Small and deterministic, for fast tests.
  (import "wasmbed" "log" (func $log (param i32 i32 i32)))
  (import "wasmbed" "sleep_ms" (func $sleep_ms (param i32)))

  (memory (export "memory") 1)

  ;; @include lib/format.wat

  (data (i32.const 512) "count ") ;; 6 bytes

  (func $run (export "run")
    (local $i i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (call $log_number (i32.const 1) (i32.const 512) (i32.const 6) (local.get $i) (i32.const 0) (i32.const 0))
      (call $sleep_ms (i32.const 10))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 5)))))
