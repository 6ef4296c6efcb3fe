;; busy-loop: logs once, then spins forever without calling the host, so only a
;; host that preempts running WebAssembly (the CPU-time limit) can end it.
(module
  (import "wasmbed" "log" (func $log (param i32 i32 i32)))

  (memory (export "memory") 1)
  (data (i32.const 512) "spinning without sleeping") ;; 25 bytes

  (func $run (export "run")
    (local $spins i64)
    (call $log (i32.const 1) (i32.const 512) (i32.const 25))
    ;; Count spins in memory so that no engine may treat the loop as dead code.
    (loop $spin
      (local.set $spins (i64.add (local.get $spins) (i64.const 1)))
      (i64.store (i32.const 1024) (local.get $spins))
      (br $spin))))
