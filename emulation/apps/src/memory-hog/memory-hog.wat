;; memory-hog: grows memory one page at a time, logging each step, until
;; memory.grow returns -1 (the host's memory limit); then stores one byte past
;; the end, which traps. Declares no maximum, so only the host limit stops it.
(module
  (import "wasmbed" "log" (func $log (param i32 i32 i32)))

  (memory (export "memory") 1)

  ;; @include lib/format.wat

  (data (i32.const 512) "memory pages: ")                  ;; 14 bytes
  (data (i32.const 528) "memory.grow refused at ")         ;; 23
  (data (i32.const 560) " pages; writing past the end")    ;; 28

  (func $run (export "run")
    (loop $grow
      (call $log_number (i32.const 1)
        (i32.const 512) (i32.const 14) (memory.size) (i32.const 0) (i32.const 0))
      (br_if $grow (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    (call $log_number (i32.const 2)
      (i32.const 528) (i32.const 23) (memory.size) (i32.const 560) (i32.const 28))
    ;; memory.size * 64 KiB is the first address past the end.
    (i32.store8 (i32.shl (memory.size) (i32.const 16)) (i32.const 1))))
