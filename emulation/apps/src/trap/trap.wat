;; trap: logs, sleeps briefly, then executes `unreachable`; a host must report
;; the app as failed (reason "trap").
(module
  (import "wasmbed" "log" (func $log (param i32 i32 i32)))
  (import "wasmbed" "sleep_ms" (func $sleep_ms (param i32)))

  (memory (export "memory") 1)
  (data (i32.const 512) "about to trap") ;; 13 bytes

  (func $run (export "run")
    (call $log (i32.const 1) (i32.const 512) (i32.const 13))
    (call $sleep_ms (i32.const 10))
    (unreachable)))
