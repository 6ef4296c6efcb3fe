;; ABI edge cases (docs/app-abi.md §2), one export per case: the runtime's
;; host tests and firmware/test/runtime.int.test.ts run each export as an
;; entry point and compare the logs with the reference host.
(module
  (import "wasmbed" "log" (func $log (param i32 i32 i32)))
  (import "wasmbed" "now_ms" (func $now_ms (result i64)))
  (import "wasmbed" "sleep_ms" (func $sleep_ms (param i32)))
  (import "wasmbed" "config_get" (func $config_get (param i32 i32 i32 i32) (result i32)))
  (import "wasmbed" "sensor_read" (func $sensor_read (param i32) (result i32)))
  (import "wasmbed" "random_u32" (func $random_u32 (result i32)))

  (memory (export "memory") 1)

  ;; @include lib/format.wat

  (data (i32.const 512) "greeting")      ;; 8 bytes
  (data (i32.const 520) "empty")         ;; 5
  (data (i32.const 528) "\ff\fe")        ;; 2: not UTF-8
  (data (i32.const 536) "config ")       ;; 7
  (data (i32.const 544) "sensor ")       ;; 7
  (data (i32.const 552) "random ")       ;; 7
  (data (i32.const 560) "now ")          ;; 4
  (data (i32.const 568) "m\c3\b0\ff\c3") ;; 5: invalid and cut sequences

  ;; config_get results: missing, too small, exact fit, empty value, bad key.
  (func (export "config")
    (call $log_number (i32.const 1) (i32.const 536) (i32.const 7)
      (call $config_get (i32.const 512) (i32.const 7) (i32.const 1024) (i32.const 64)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 536) (i32.const 7)
      (call $config_get (i32.const 512) (i32.const 8) (i32.const 1024) (i32.const 3)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 536) (i32.const 7)
      (call $config_get (i32.const 512) (i32.const 8) (i32.const 1024) (i32.const 5)) (i32.const 0) (i32.const 0))
    (call $log (i32.const 1) (i32.const 1024) (i32.const 5))
    (call $log_number (i32.const 1) (i32.const 536) (i32.const 7)
      (call $config_get (i32.const 520) (i32.const 5) (i32.const 65536) (i32.const 0)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 536) (i32.const 7)
      (call $config_get (i32.const 528) (i32.const 2) (i32.const 1024) (i32.const 64)) (i32.const 0) (i32.const 0)))

  ;; Every level, an empty message at the very end of memory, invalid UTF-8,
  ;; and a 2000-byte message (kept: 1024 bytes, flagged truncated).
  (func (export "logs")
    (local $i i32)
    (call $log (i32.const 0) (i32.const 536) (i32.const 6))
    (call $log (i32.const 1) (i32.const 544) (i32.const 6))
    (call $log (i32.const 2) (i32.const 552) (i32.const 6))
    (call $log (i32.const 3) (i32.const 560) (i32.const 3))
    (call $log (i32.const 1) (i32.const 65536) (i32.const 0))
    (call $log (i32.const 1) (i32.const 568) (i32.const 5))
    (loop $fill
      (i32.store8 (i32.add (i32.const 2048) (local.get $i)) (i32.add (i32.const 97) (i32.rem_u (local.get $i) (i32.const 26))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 2000))))
    (call $log (i32.const 1) (i32.const 2048) (i32.const 2000)))

  ;; Sensors on every channel (and two that do not exist), random bits, and the
  ;; clock around a sleep.
  (func (export "devices")
    (call $log_number (i32.const 1) (i32.const 544) (i32.const 7) (call $sensor_read (i32.const 0)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 544) (i32.const 7) (call $sensor_read (i32.const 1)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 544) (i32.const 7) (call $sensor_read (i32.const 2)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 544) (i32.const 7) (call $sensor_read (i32.const 3)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 544) (i32.const 7) (call $sensor_read (i32.const -1)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 552) (i32.const 7) (call $random_u32) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 552) (i32.const 7) (call $random_u32) (i32.const 0) (i32.const 0))
    (call $sleep_ms (i32.const 0))
    (call $sleep_ms (i32.const 7250))
    (call $log_number (i32.const 1) (i32.const 560) (i32.const 4) (i32.wrap_i64 (call $now_ms)) (i32.const 0) (i32.const 0))
    (call $log_number (i32.const 1) (i32.const 544) (i32.const 7) (call $sensor_read (i32.const 0)) (i32.const 0) (i32.const 0)))

  ;; Host traps.
  (func (export "trap_log_level") (call $log (i32.const 4) (i32.const 0) (i32.const 0)))
  (func (export "trap_log_range") (call $log (i32.const 1) (i32.const 65530) (i32.const 7)))
  (func (export "trap_log_wrap") (call $log (i32.const 1) (i32.const -1) (i32.const 2)))
  (func (export "trap_sleep") (call $sleep_ms (i32.const -5)))
  (func (export "trap_config_range")
    (drop (call $config_get (i32.const 512) (i32.const 8) (i32.const 65535) (i32.const 2))))

  ;; WebAssembly traps.
  (func (export "trap_div") (drop (i32.div_s (i32.const 1) (i32.const 0))))
  (func (export "trap_overflow") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))
  (func (export "trap_convert") (drop (i32.trunc_f32_s (f32.const nan))))
  (func $recurse (param i32) (call $recurse (i32.add (local.get 0) (i32.const 1))))
  (func (export "trap_stack") (call $recurse (i32.const 0)))
  (type $i2i (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $recurse)
  (func (export "trap_indirect_type") (drop (call_indirect (type $i2i) (i32.const 1) (i32.const 0))))
  (func (export "trap_indirect_null") (call_indirect (param i32) (i32.const 1) (i32.const 1)))
  (func (export "trap_oob_load") (drop (i32.load (i32.const 65534))))

  (func (export "run")))
