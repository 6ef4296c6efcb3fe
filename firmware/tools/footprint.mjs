#!/usr/bin/env node
// Flash and RAM per firmware component, from GNU ld map files (make size).
// Every input section the linker kept is attributed to a component by the path
// of the object (or archive) it came from; flash = code, read-only data and the
// .data load image; RAM = .data and .bss (stacks, provisioning area and heap are
// fixed regions, listed separately).
// Usage: node footprint.mjs build/<board>/wasmbed.map ...
import { readFileSync } from 'node:fs';

const COMPONENTS = [
  ['protocol codec (core/proto)', /\/obj\/core\/proto\//],
  ['crypto: SHA-256/512, Ed25519 (core/crypto)', /\/obj\/core\/crypto\//],
  ['device agent: protocol session (core/agent)', /\/obj\/core\/agent\//],
  ['provisioning + serial rings (core)', /\/obj\/core\/[^/]+\.o$/],
  ['application: boot, shell, self-tests (app)', /\/obj\/app\//],
  ['board: start-up, vectors, UART, timer (boards)', /\/obj\/boards\//],
  ['TLS glue: session, agent link, I/O, entropy (tls)', /\/obj\/tls\//],
  ['wolfSSL (TLS 1.3 client, minimal build)', /libwolfssl\.a/],
  ['runtime: load checks, host ABI, limits (runtime)', /libwbruntime\.a/],
  ['WAMR: loader, interpreter, platform layer', /libwamr\.a/],
  ['picolibc (printf, malloc, string)', /libc\.a\(|libc\.a$/],
  ['libgcc (64-bit arithmetic)', /libgcc\.a/],
];
const FLASH_SECTIONS = new Set(['.init', '.text']);
const RAM_SECTIONS = new Set(['.data', '.tdata', '.tbss', '.bss', '.noinit']);
const FIXED = ['__isr_stack_bottom', '__isr_stack_top', '__provisioning_start', '__provisioning_end', '__stack_size', '__heap_size'];

function componentOf(file) {
  if (!file) return 'alignment padding';
  for (const [name, re] of COMPONENTS) if (re.test(file)) return name;
  return `other (${file})`;
}

function parse(mapFile) {
  const text = readFileSync(mapFile, 'utf8');
  const body = text.slice(text.indexOf('Linker script and memory map'));
  const lines = body.split('\n');
  const totals = new Map();
  const symbols = {};
  let output = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const out = /^(\.[\w.]+)\s/.exec(line) ?? /^(\.[\w.]+)$/.exec(line);
    if (out) {
      output = out[1];
      continue;
    }
    const sym = /^\s+0x([0-9a-f]+)\s+(\w+) = /.exec(line);
    if (sym && FIXED.includes(sym[2])) symbols[sym[2]] = parseInt(sym[1], 16);
    const kind = FLASH_SECTIONS.has(output) ? 'flash' : RAM_SECTIONS.has(output) ? 'ram' : null;
    if (!kind) continue;
    // " .text.name   0xADDR   0xSIZE file" or a long name alone, then "   0xADDR 0xSIZE file".
    let m = /^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s*(.*)$/.exec(line);
    if (!m && /^ \S+$/.test(line) && i + 1 < lines.length) {
      const next = /^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s*(.*)$/.exec(lines[i + 1]);
      if (next) {
        m = [null, line.trim(), next[1], next[2], next[3]];
        i++;
      }
    }
    if (!m) continue;
    const size = parseInt(m[3], 16);
    if (size === 0) continue;
    const name = componentOf(m[4].trim());
    const entry = totals.get(name) ?? { flash: 0, ram: 0 };
    entry[kind] += size;
    // .data also occupies flash: its initial values are copied from there.
    if (output === '.data' || output === '.tdata') entry.flash += size;
    totals.set(name, entry);
  }
  return { totals, symbols };
}

const pad = (s, n) => String(s).padEnd(n);
const num = (v, n) => String(v).padStart(n);
for (const mapFile of process.argv.slice(2)) {
  const { totals, symbols } = parse(mapFile);
  console.log(`\n${mapFile}`);
  console.log(`${pad('component', 48)}${num('flash', 8)}${num('RAM', 8)}`);
  let flash = 0;
  let ram = 0;
  const order = [...COMPONENTS.map(([n]) => n), ...[...totals.keys()].filter((k) => !COMPONENTS.some(([n]) => n === k))];
  for (const name of order) {
    const t = totals.get(name);
    if (!t) continue;
    console.log(`${pad(name, 48)}${num(t.flash, 8)}${num(t.ram, 8)}`);
    flash += t.flash;
    ram += t.ram;
  }
  console.log(`${pad('total', 48)}${num(flash, 8)}${num(ram, 8)}`);
  const isr = symbols.__isr_stack_top - symbols.__isr_stack_bottom;
  const prov = symbols.__provisioning_end - symbols.__provisioning_start;
  console.log(
    `fixed RAM regions: interrupt stack ${isr}, provisioning area ${prov}, main stack ${symbols.__stack_size}; heap ${symbols.__heap_size} bytes`,
  );
}
