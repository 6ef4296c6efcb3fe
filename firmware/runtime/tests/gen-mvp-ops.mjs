// Generates mvp-ops.wat: an ABI app that runs every WebAssembly MVP numeric,
// conversion, memory, variable and control instruction over edge-case operands
// and logs one line per instruction, "<name> <hash>", the FNV-1a hash of its
// results (NaN results hashed as one canonical NaN: their bits are not
// deterministic). firmware/test/runtime.int.test.ts runs it on Node (the
// reference host), on the host build of the runtime and on both QEMU boards,
// and compares the lines.
//
//   node gen-mvp-ops.mjs out.wat
import { writeFileSync } from 'node:fs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node gen-mvp-ops.mjs <out.wat>');
  process.exit(2);
}

// ---- operands -----------------------------------------------------------------

const I32 = [0, 1, 2, -1, 31, 32, 33, 0x7fffffff, -0x80000000, -0x7fffffff, 0x12345678, -0x01234568];
const I64 = [0n, 1n, -1n, 63n, 64n, 65n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x123456789abcdef0n, -0x0123456789abcdefn, 0xffffffffn, 0x100000000n];
const F32 = [0, -0, 1, -1, 0.5, -1.5, 2.5, 3.4028234663852886e38, 1.401298464324817e-45, Infinity, -Infinity, NaN, 1e10, -123.456];
const F64 = [0, -0, 1, -1, 0.5, -1.5, 2.5, 1.7976931348623157e308, 5e-324, Infinity, -Infinity, NaN, 1e20, -123.456, 4503599627370497.5];

function f32Bits(x) {
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, x, true);
  return v.getUint32(0, true);
}
function f64Bits(x) {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x, true);
  return v.getBigUint64(0, true);
}
const fround = Math.fround;

// Truncation operands: every finite table value inside the target's range (the
// rest trap; the host tests check that), plus the values at its very edges.
function truncOperands(values, lo, hi, round) {
  const inRange = (x) => !Number.isNaN(x) && x > lo && x < hi;
  return [...new Set([...values.map(round), round(lo + 1), round(hi - 1), -0.999, 0.999].filter(inRange))];
}
const TRUNC = {
  'i32.trunc_f32_s': truncOperands(F32, -2147483904, 2147483648, fround),
  'i32.trunc_f32_u': truncOperands(F32, -1, 4294967296, fround),
  'i32.trunc_f64_s': truncOperands(F64, -2147483649, 2147483648, (x) => x),
  'i32.trunc_f64_u': truncOperands(F64, -1, 4294967296, (x) => x),
  'i64.trunc_f32_s': truncOperands(F32, -9223373136366403584, 9223372036854775808, fround),
  'i64.trunc_f32_u': truncOperands(F32, -1, 18446744073709551616, fround),
  'i64.trunc_f64_s': truncOperands(F64, -9223372036854777856, 9223372036854775808, (x) => x),
  'i64.trunc_f64_u': truncOperands(F64, -1, 18446744073709551616, (x) => x),
};

// ---- memory layout --------------------------------------------------------------

let nextData = 0x1000;
const data = [];
function table(name, bytesPer, values, encode) {
  const at = nextData;
  const bytes = [];
  for (const v of values) bytes.push(...encode(v));
  data.push(`  (data (i32.const ${at}) "${bytes.map((b) => '\\' + b.toString(16).padStart(2, '0')).join('')}") ;; ${name}`);
  nextData += Math.ceil(bytes.length / 16) * 16 + 16;
  return { at, count: values.length, bytesPer };
}
function le(n, bytes) {
  const out = [];
  let x = BigInt.asUintN(bytes * 8, BigInt(n));
  for (let i = 0; i < bytes; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}
const tables = {
  i32: table('i32', 4, I32, (v) => le(v, 4)),
  i64: table('i64', 8, I64, (v) => le(v, 8)),
  f32: table('f32', 4, F32, (v) => le(f32Bits(v), 4)),
  f64: table('f64', 8, F64, (v) => le(f64Bits(v), 8)),
};
for (const [op, values] of Object.entries(TRUNC)) {
  tables[op] = op.includes('f32') ? table(op, 4, values, (v) => le(f32Bits(v), 4)) : table(op, 8, values, (v) => le(f64Bits(v), 8));
}

const names = [];
function nameOf(text) {
  const at = nextData;
  data.push(`  (data (i32.const ${at}) "${text}")`);
  nextData += text.length + 1;
  names.push(text);
  return { at, len: text.length };
}

// ---- code -------------------------------------------------------------------------

const funcs = [];
const calls = [];
const load = { i32: 'i32.load', i64: 'i64.load', f32: 'f32.load', f64: 'f64.load' };
const fold = { i32: '$fold_i32', i64: '$fold_i64', f32: '$fold_f32', f64: '$fold_f64' };

function operand(t, index) {
  return `(${load[t.type]} (i32.add (i32.const ${t.at}) (i32.mul (local.get ${index}) (i32.const ${t.bytesPer}))))`;
}

/** One instruction over every operand (pair): a function that folds each result, then logs. */
function emit(label, { args, result, body, skip }) {
  const id = `$op${funcs.length}`;
  const name = nameOf(label);
  const ts = args.map((a) => ({ ...tables[a.table], type: a.type }));
  const ops = ts.map((t, i) => operand(t, i));
  let inner = `(call ${fold[result]} ${body(...ops)})`;
  if (skip) inner = `(if (i32.eqz ${skip(...ops)}) (then ${inner}))`;
  for (let i = ts.length - 1; i >= 0; i--) {
    inner = `(local.set ${i} (i32.const 0))
      (loop $l${i}
        ${inner}
        (local.set ${i} (i32.add (local.get ${i}) (i32.const 1)))
        (br_if $l${i} (i32.lt_u (local.get ${i}) (i32.const ${ts[i].count}))))`;
  }
  funcs.push(`  (func ${id} (local i32 i32)
    ${inner}
    (call $report (i32.const ${name.at}) (i32.const ${name.len})))`);
  calls.push(`    (call ${id})`);
}

const plain = (type) => ({ table: type, type });
const binary = (op, type, result = type, skip) =>
  emit(op, { args: [plain(type), plain(type)], result, body: (a, b) => `(${op} ${a} ${b})`, skip });
const unary = (op, type, result = type) => emit(op, { args: [plain(type)], result, body: (a) => `(${op} ${a})` });

for (const t of ['i32', 'i64']) {
  const zero = `${t}.eqz`;
  const min = t === 'i32' ? '(i32.const 0x80000000)' : '(i64.const 0x8000000000000000)';
  const neg1 = `(${t}.const -1)`;
  unary(`${t}.eqz`, t, 'i32');
  for (const op of ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']) binary(`${t}.${op}`, t, 'i32');
  for (const op of ['clz', 'ctz', 'popcnt']) unary(`${t}.${op}`, t);
  for (const op of ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr']) binary(`${t}.${op}`, t);
  // Division by zero traps, and so does the signed overflow of div_s (not rem_s: it is 0).
  binary(`${t}.div_s`, t, t, (a, b) => `(i32.or (${zero} ${b}) (i32.and (${t}.eq ${a} ${min}) (${t}.eq ${b} ${neg1})))`);
  binary(`${t}.rem_s`, t, t, (a, b) => `(${zero} ${b})`);
  binary(`${t}.div_u`, t, t, (a, b) => `(${zero} ${b})`);
  binary(`${t}.rem_u`, t, t, (a, b) => `(${zero} ${b})`);
}
for (const t of ['f32', 'f64']) {
  for (const op of ['eq', 'ne', 'lt', 'gt', 'le', 'ge']) binary(`${t}.${op}`, t, 'i32');
  for (const op of ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt']) unary(`${t}.${op}`, t);
  for (const op of ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign']) binary(`${t}.${op}`, t);
}
const conversions = [
  ['i32.wrap_i64', 'i64', 'i32'], ['i64.extend_i32_s', 'i32', 'i64'], ['i64.extend_i32_u', 'i32', 'i64'],
  ['f32.convert_i32_s', 'i32', 'f32'], ['f32.convert_i32_u', 'i32', 'f32'], ['f32.convert_i64_s', 'i64', 'f32'],
  ['f32.convert_i64_u', 'i64', 'f32'], ['f32.demote_f64', 'f64', 'f32'], ['f64.convert_i32_s', 'i32', 'f64'],
  ['f64.convert_i32_u', 'i32', 'f64'], ['f64.convert_i64_s', 'i64', 'f64'], ['f64.convert_i64_u', 'i64', 'f64'],
  ['f64.promote_f32', 'f32', 'f64'], ['i32.reinterpret_f32', 'f32', 'i32'], ['i64.reinterpret_f64', 'f64', 'i64'],
  ['f32.reinterpret_i32', 'i32', 'f32'], ['f64.reinterpret_i64', 'i64', 'f64'],
];
for (const [op, from, to] of conversions) unary(op, from, to);
for (const op of Object.keys(TRUNC)) {
  const from = op.includes('f32') ? 'f32' : 'f64';
  emit(op, { args: [{ table: op, type: from }], result: op.slice(0, 3), body: (a) => `(${op} ${a})` });
}

// Memory: every load and store width, aligned and not, with offset immediates.
const memoryOps = `  (func $memory_ops (local $i i32)
    (local.set $i (i32.const 0))
    (loop $fill
      (i32.store8 (i32.add (i32.const 0x3000) (local.get $i)) (i32.mul (local.get $i) (i32.const 0x9d)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.const 64))))
    (local.set $i (i32.const 0))
    (loop $each
      (call $fold_i32 (i32.load8_s offset=1 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i32 (i32.load8_u offset=2 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i32 (i32.load16_s offset=3 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i32 (i32.load16_u (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i32 (i32.load offset=5 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load8_s (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load8_u (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load16_s offset=1 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load16_u offset=7 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load32_s offset=2 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load32_u offset=3 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load offset=1 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_f32 (f32.load offset=2 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_f64 (f64.load offset=3 (i32.add (i32.const 0x3000) (local.get $i))))
      (i32.store8 offset=0x100 (i32.add (i32.const 0x3000) (local.get $i)) (i32.const 0x1234))
      (i32.store16 offset=0x101 (i32.add (i32.const 0x3000) (local.get $i)) (i32.const 0x56789))
      (i32.store offset=0x103 (i32.add (i32.const 0x3000) (local.get $i)) (i32.const 0xdeadbeef))
      (i64.store8 offset=0x107 (i32.add (i32.const 0x3000) (local.get $i)) (i64.const 0x1ff))
      (i64.store16 offset=0x108 (i32.add (i32.const 0x3000) (local.get $i)) (i64.const 0x1fffe))
      (i64.store32 offset=0x10a (i32.add (i32.const 0x3000) (local.get $i)) (i64.const 0x1fffffffd))
      (i64.store offset=0x10e (i32.add (i32.const 0x3000) (local.get $i)) (i64.const 0x0102030405060708))
      (f32.store offset=0x116 (i32.add (i32.const 0x3000) (local.get $i)) (f32.const -1.25))
      (f64.store offset=0x11a (i32.add (i32.const 0x3000) (local.get $i)) (f64.const 3.75))
      (call $fold_i64 (i64.load offset=0x100 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load offset=0x108 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load offset=0x110 (i32.add (i32.const 0x3000) (local.get $i))))
      (call $fold_i64 (i64.load offset=0x118 (i32.add (i32.const 0x3000) (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.lt_u (local.get $i) (i32.const 40))))
    ;; memory.size, and memory.grow at the declared maximum (1 page: the boards
    ;; cannot always find room for a second one; memory-hog grows for real)
    (call $fold_i32 (memory.size))
    (call $fold_i32 (memory.grow (i32.const 1)))
    (call $fold_i32 (memory.grow (i32.const 0)))
    (call $fold_i32 (memory.size))
    (call $fold_i32 (i32.load (i32.const 0xfffc)))
    (call $report (i32.const ${nameOf('memory').at}) (i32.const 6)))`;
funcs.push(memoryOps);
calls.push('    (call $memory_ops)');

// Control and variables: blocks with results, if/else, br_table at every index
// (and past the end), return from nested blocks, select, locals, globals,
// direct and indirect calls (and a recursive one).
const controlOps = `  (global $g (mut i32) (i32.const 7))
  (global $g64 (mut i64) (i64.const -7))
  (type $to_i32 (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $double $negate $fact $switch)
  (func $double (param i32) (result i32) (i32.shl (local.get 0) (i32.const 1)))
  (func $negate (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (func $fact (param i32) (result i32)
    (if (result i32) (i32.le_s (local.get 0) (i32.const 1))
      (then (i32.const 1))
      (else (i32.mul (local.get 0) (call $fact (i32.sub (local.get 0) (i32.const 1)))))))
  (func $switch (param i32) (result i32)
    (block $d (block $c (block $b (block $a
      (br_table $a $b $c $d (local.get 0)))
      (return (i32.const 100)))
      (return (i32.const 101)))
      (return (i32.const 102)))
    (i32.const 103))
  (func $control_ops (local $i i32) (local $x i64) (local $f f32) (local $d f64)
    (local.set $i (i32.const -2))
    (loop $each
      (call $fold_i32 (call $switch (local.get $i)))
      (call $fold_i32 (call_indirect (type $to_i32) (local.get $i) (i32.and (local.get $i) (i32.const 3))))
      (call $fold_i32 (select (local.get $i) (i32.const 55) (i32.and (local.get $i) (i32.const 1))))
      (call $fold_i64 (select (i64.const 1) (i64.const 2) (local.get $i)))
      (call $fold_f32 (select (f32.const 1.5) (f32.const -2.5) (i32.gt_s (local.get $i) (i32.const 2))))
      (call $fold_f64 (select (f64.const 1.5) (f64.const -2.5) (i32.lt_s (local.get $i) (i32.const 2))))
      (call $fold_i32 (block (result i32)
        (br_if 0 (i32.const 9) (i32.eq (local.get $i) (i32.const 3)))
        (drop)
        (i32.const 10)))
      (call $fold_i32 (if (result i32) (local.get $i) (then (i32.const 1)) (else (i32.const 2))))
      (global.set $g (i32.add (global.get $g) (local.tee $i (local.get $i))))
      (global.set $g64 (i64.mul (global.get $g64) (i64.extend_i32_s (local.get $i))))
      (local.set $x (i64.add (local.get $x) (global.get $g64)))
      (local.set $f (f32.add (local.get $f) (f32.convert_i32_s (local.get $i))))
      (local.set $d (f64.sub (local.get $d) (f64.convert_i32_s (local.get $i))))
      (nop)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $each (i32.le_s (local.get $i) (i32.const 6))))
    (call $fold_i32 (global.get $g))
    (call $fold_i64 (local.get $x))
    (call $fold_f32 (local.get $f))
    (call $fold_f64 (local.get $d))
    (call $fold_i32 (call $fact (i32.const 12)))
    (call $fold_i32 (call_indirect (type $to_i32) (i32.const 10) (i32.const 2)))
    (call $report (i32.const ${nameOf('control').at}) (i32.const 7)))`;
funcs.push(controlOps);
calls.push('    (call $control_ops)');

const wat = `;; Generated by runtime/tests/gen-mvp-ops.mjs: do not edit.
(module
  (import "wasmbed" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 1 1)

  (global $hash (mut i32) (i32.const 0x811c9dc5))

  (func $fold_i32 (param i32)
    (global.set $hash (i32.mul (i32.xor (global.get $hash) (local.get 0)) (i32.const 0x01000193))))
  (func $fold_i64 (param i64)
    (call $fold_i32 (i32.wrap_i64 (local.get 0)))
    (call $fold_i32 (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32)))))
  (func $fold_f32 (param f32)
    (call $fold_i32 (select (i32.reinterpret_f32 (local.get 0)) (i32.const 0x7fc00000)
      (f32.eq (local.get 0) (local.get 0)))))
  (func $fold_f64 (param f64)
    (call $fold_i64 (select (i64.reinterpret_f64 (local.get 0)) (i64.const 0x7ff8000000000000)
      (f64.eq (local.get 0) (local.get 0)))))

  ;; Logs "<name> <hash in hex>" and starts the next hash.
  (func $report (param $name i32) (param $len i32) (local $i i32) (local $p i32) (local $digit i32)
    (local.set $p (i32.const 16))
    (loop $copy
      (i32.store8 (local.get $p) (i32.load8_u (i32.add (local.get $name) (local.get $i))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $copy (i32.lt_u (local.get $i) (local.get $len))))
    (i32.store8 (local.get $p) (i32.const 32))
    (local.set $i (i32.const 0))
    (loop $hex
      (local.set $digit (i32.and (i32.shr_u (global.get $hash) (i32.sub (i32.const 28) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 15)))
      (i32.store8 (i32.add (i32.add (local.get $p) (i32.const 1)) (local.get $i))
        (i32.add (local.get $digit) (select (i32.const 48) (i32.const 87) (i32.lt_u (local.get $digit) (i32.const 10)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $hex (i32.lt_u (local.get $i) (i32.const 8))))
    (call $log (i32.const 1) (i32.const 16) (i32.add (local.get $len) (i32.const 9)))
    (global.set $hash (i32.const 0x811c9dc5)))

${funcs.join('\n')}

${data.join('\n')}

  (func (export "run")
${calls.join('\n')}))
`;
if (nextData > 0x3000) throw new Error(`operand tables overflow into the scratch area: ${nextData.toString(16)}`);
writeFileSync(out, wat);
