;; hello: the canonical long-running device app. Logs a greeting (config
;; "greeting", else a default), then every second logs the temperature sensor.
;; Runs until stopped, or returns after config "iterations" readings.
(module
  (import "wasmbed" "log" (func $log (param i32 i32 i32)))
  (import "wasmbed" "sleep_ms" (func $sleep_ms (param i32)))
  (import "wasmbed" "config_get" (func $config_get (param i32 i32 i32 i32) (result i32)))
  (import "wasmbed" "sensor_read" (func $sensor_read (param i32) (result i32)))

  (memory (export "memory") 1)

  ;; @include lib/format.wat

  (data (i32.const 512) "Hello, Wasmbed!")                            ;; 15 bytes
  (data (i32.const 544) "greeting")                                   ;; 8
  (data (i32.const 560) "iterations")                                 ;; 10
  (data (i32.const 576) "temperature ")                               ;; 12
  (data (i32.const 592) " m\c2\b0C")                                  ;; 5
  (data (i32.const 608) "iterations is not a number: running forever") ;; 43
  (data (i32.const 656) "done after ")                                ;; 11
  (data (i32.const 672) " readings")                                  ;; 9
  (global $greeting_buf i32 (i32.const 768))   ;; 64 bytes
  (global $iterations_buf i32 (i32.const 832)) ;; 16 bytes

  (func $run (export "run")
    (local $n i32) (local $limit i32) (local $i i32)
    (local.set $n (call $config_get (i32.const 544) (i32.const 8) (global.get $greeting_buf) (i32.const 64)))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then (call $log (i32.const 1) (i32.const 512) (i32.const 15)))
      (else (call $log (i32.const 1) (global.get $greeting_buf) (local.get $n))))

    ;; $limit -1 = forever. A value that is present but not a count (or longer
    ;; than the buffer: -2) earns a warning rather than a silent default.
    (local.set $limit (i32.const -1))
    (local.set $n (call $config_get (i32.const 560) (i32.const 10) (global.get $iterations_buf) (i32.const 16)))
    (if (i32.ne (local.get $n) (i32.const -1))
      (then
        (if (i32.ge_s (local.get $n) (i32.const 0))
          (then (local.set $limit (call $parse_u32 (global.get $iterations_buf) (local.get $n)))))
        (if (i32.lt_s (local.get $limit) (i32.const 0))
          (then (call $log (i32.const 2) (i32.const 608) (i32.const 43))))))

    (block $finished
      (loop $tick
        (br_if $finished (i32.eq (local.get $i) (local.get $limit)))
        (call $log_number (i32.const 1)
          (i32.const 576) (i32.const 12) (call $sensor_read (i32.const 0)) (i32.const 592) (i32.const 5))
        (call $sleep_ms (i32.const 1000))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tick)))
    (call $log_number (i32.const 1) (i32.const 656) (i32.const 11) (local.get $i) (i32.const 672) (i32.const 9))))
