;; Text helpers shared by the WAT example apps; build.sh pastes this file where an
;; app says `;; @include lib/format.wat` (WAT has no includes, and copies drift).
;; The app must import $log (wasmbed.log) and define memory 0. These helpers own
;; bytes [16, 512) of memory as a scratch area; apps keep their data at 512+.

(global $scratch i32 (i32.const 16))

;; Copies len bytes from src to dst (byte loop: memory.copy is post-MVP).
(func $copy (param $dst i32) (param $src i32) (param $len i32)
  (block $done
    (loop $next
      (br_if $done (i32.eqz (local.get $len)))
      (i32.store8 (local.get $dst) (i32.load8_u (local.get $src)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 1)))
      (local.set $src (i32.add (local.get $src) (i32.const 1)))
      (local.set $len (i32.sub (local.get $len) (i32.const 1)))
      (br $next))))

;; Writes value in decimal at dst and returns the number of bytes written (1..11).
(func $write_i32 (param $dst i32) (param $value i32) (result i32)
  (local $abs i64) (local $n i64) (local $digits i32) (local $start i32) (local $end i32)
  ;; i64 so that -2147483648 has a positive counterpart.
  (local.set $abs (i64.extend_i32_s (local.get $value)))
  (local.set $start (local.get $dst))
  (if (i64.lt_s (local.get $abs) (i64.const 0))
    (then
      (i32.store8 (local.get $dst) (i32.const 45)) ;; '-'
      (local.set $start (i32.add (local.get $dst) (i32.const 1)))
      (local.set $abs (i64.sub (i64.const 0) (local.get $abs)))))
  ;; Count the digits, then fill them in from the right.
  (local.set $n (local.get $abs))
  (local.set $digits (i32.const 1))
  (block $counted
    (loop $more
      (br_if $counted (i64.lt_u (local.get $n) (i64.const 10)))
      (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
      (local.set $digits (i32.add (local.get $digits) (i32.const 1)))
      (br $more)))
  (local.set $end (i32.add (local.get $start) (local.get $digits)))
  (loop $digit
    (local.set $end (i32.sub (local.get $end) (i32.const 1)))
    (i32.store8 (local.get $end)
      (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $abs) (i64.const 10)))))
    (local.set $abs (i64.div_u (local.get $abs) (i64.const 10)))
    (br_if $digit (i32.gt_u (local.get $end) (local.get $start))))
  (i32.sub (i32.add (local.get $start) (local.get $digits)) (local.get $dst)))

;; Logs prefix ++ decimal(value) ++ suffix at the given level.
(func $log_number (param $level i32) (param $prefix i32) (param $prefix_len i32)
                  (param $value i32) (param $suffix i32) (param $suffix_len i32)
  (local $at i32)
  (call $copy (global.get $scratch) (local.get $prefix) (local.get $prefix_len))
  (local.set $at (i32.add (global.get $scratch) (local.get $prefix_len)))
  (local.set $at (i32.add (local.get $at) (call $write_i32 (local.get $at) (local.get $value))))
  (call $copy (local.get $at) (local.get $suffix) (local.get $suffix_len))
  (local.set $at (i32.add (local.get $at) (local.get $suffix_len)))
  (call $log (local.get $level) (global.get $scratch) (i32.sub (local.get $at) (global.get $scratch))))

;; Parses an unsigned decimal of 1..9 digits; -1 when empty, too long or not digits.
(func $parse_u32 (param $ptr i32) (param $len i32) (result i32)
  (local $value i32) (local $c i32)
  (if (i32.or (i32.eqz (local.get $len)) (i32.gt_u (local.get $len) (i32.const 9)))
    (then (return (i32.const -1))))
  (loop $next
    (local.set $c (i32.sub (i32.load8_u (local.get $ptr)) (i32.const 48)))
    (if (i32.gt_u (local.get $c) (i32.const 9)) (then (return (i32.const -1))))
    (local.set $value (i32.add (i32.mul (local.get $value) (i32.const 10)) (local.get $c)))
    (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
    (local.set $len (i32.sub (local.get $len) (i32.const 1)))
    (br_if $next (local.get $len)))
  (local.get $value))
