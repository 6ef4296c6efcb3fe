import { randomBytes } from 'node:crypto';
import { TlsRecordSplitter, type SplitEvent } from './tls-record-splitter';

const record = (type: number, body: Buffer, version = 0x03) => Buffer.concat([Buffer.from([type, 0x03, version, body.length >> 8, body.length & 0xff]), body]);
const clientHello = (size = 200) => record(0x16, Buffer.concat([Buffer.from([0x01]), randomBytes(size - 1)]), 0x01);
const appData = (size: number) => record(0x17, randomBytes(size));

/** What the bridge would make of it: the bytes relayed per session (a session starts at a ClientHello), the desyncs. */
function sessions(events: readonly SplitEvent[]): { sessions: Buffer[]; beforeFirst: number; desyncs: number } {
  const out: Buffer[][] = [];
  let beforeFirst = 0;
  let desyncs = 0;
  for (const e of events) {
    if (e.kind === 'desync') {
      desyncs += 1;
      continue;
    }
    if (e.clientHello) out.push([]);
    if (out.length === 0) beforeFirst += e.bytes.length;
    else out[out.length - 1].push(e.bytes);
  }
  return { sessions: out.map((parts) => Buffer.concat(parts)), beforeFirst, desyncs };
}

function feed(splitter: TlsRecordSplitter, stream: Buffer, cuts: readonly number[]): SplitEvent[] {
  const events: SplitEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, stream.length]) {
    // Copies, so that nothing depends on the caller's buffer being kept.
    events.push(...splitter.push(Buffer.from(stream.subarray(from, cut))).map((e) => (e.kind === 'record' ? { ...e, bytes: Buffer.from(e.bytes) } : e)));
    from = cut;
  }
  return events;
}

describe('TLS record splitter', () => {
  const first = Buffer.concat([clientHello(), appData(80), appData(3000), record(0x15, randomBytes(19))]);
  const second = Buffer.concat([clientHello(250), appData(17)]);
  const stream = Buffer.concat([first, second]);

  it('passes records through unchanged and marks where each ClientHello starts', () => {
    const splitter = new TlsRecordSplitter();
    const result = sessions(splitter.push(stream));
    expect(result).toEqual({ sessions: [first, second], beforeFirst: 0, desyncs: 0 });
    expect(splitter.dropped).toBe(0);
  });

  it('gives the same sessions whatever the chunk boundaries: every single cut, then every byte alone', () => {
    for (let cut = 1; cut < stream.length; cut += cut < 400 || cut > first.length - 10 ? 1 : 97) {
      const result = sessions(feed(new TlsRecordSplitter(), stream, [cut]));
      expect({ cut, ...result }).toEqual({ cut, sessions: [first, second], beforeFirst: 0, desyncs: 0 });
    }
    const bytewise = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
    expect(sessions(feed(new TlsRecordSplitter(), stream, bytewise))).toEqual({ sessions: [first, second], beforeFirst: 0, desyncs: 0 });
  });

  it('passes bytes on as they come: a record is not held back until it is complete', () => {
    const splitter = new TlsRecordSplitter();
    const big = appData(10_000);
    splitter.push(clientHello());
    const events = splitter.push(big.subarray(0, 1000));
    expect(events).toEqual([{ kind: 'record', clientHello: false, bytes: big.subarray(0, 1000) }]);
  });

  it('drops what comes before the first ClientHello, a header split across chunks included', () => {
    const splitter = new TlsRecordSplitter();
    const noise = Buffer.from('boot noise on the wrong port\r\n');
    const hello = clientHello();
    const events = feed(splitter, Buffer.concat([noise, appData(40), hello]), [noise.length + 20, noise.length + 45 + 3]);
    expect(sessions(events)).toEqual({ sessions: [hello], beforeFirst: 0, desyncs: 0 });
    expect(splitter.dropped).toBe(noise.length + 45);
  });

  it('a handshake record that is not a ClientHello is part of the current session', () => {
    const finished = record(0x16, Buffer.concat([Buffer.from([0x14]), randomBytes(35)]));
    const s = Buffer.concat([clientHello(), finished, appData(30)]);
    expect(sessions(new TlsRecordSplitter().push(s)).sessions).toEqual([s]);
  });

  it('an oversized or garbage header desyncs: bytes are dropped until the next ClientHello, and counted', () => {
    const splitter = new TlsRecordSplitter();
    const before = Buffer.concat([clientHello(), appData(50)]);
    const oversized = Buffer.concat([Buffer.from([0x17, 0x03, 0x03, 0xff, 0xff]), randomBytes(3000)]);
    const after = Buffer.concat([clientHello(120), appData(10)]);
    const events = feed(splitter, Buffer.concat([before, oversized, appData(60), after]), [before.length + 2, before.length + 900]);
    const result = sessions(events);
    expect(result).toEqual({ sessions: [before, after], beforeFirst: 0, desyncs: 1 });
    expect(events.find((e) => e.kind === 'desync')).toEqual({ kind: 'desync', header: '170303ffff' });
    expect(splitter).toMatchObject({ dropped: oversized.length + 65, resyncs: 1 });
  });

  it('treats an unknown content type, a bad version and an empty record as garbage', () => {
    for (const header of [
      [0x42, 0x03, 0x03, 0x00, 0x10],
      [0x17, 0x02, 0x00, 0x00, 0x10],
      [0x17, 0x03, 0x05, 0x00, 0x10],
      [0x17, 0x03, 0x03, 0x00, 0x00],
    ]) {
      const splitter = new TlsRecordSplitter();
      const hello = clientHello();
      const result = sessions(splitter.push(Buffer.concat([clientHello(), Buffer.from(header), randomBytes(16), hello])));
      expect(result.desyncs).toBe(1);
      expect(result.sessions[1]).toEqual(hello);
    }
  });

  it('holds at most 5 bytes between chunks, however long the garbage', () => {
    const splitter = new TlsRecordSplitter();
    // Every byte 0x16: each position looks like the start of a handshake record until its version byte is read.
    for (let i = 0; i < 100; i++) expect(splitter.push(Buffer.alloc(1000, 0x16))).toEqual([]);
    expect(splitter.dropped).toBe(100_000 - 5);
    const hello = clientHello();
    expect(sessions(splitter.push(hello)).sessions).toEqual([hello]);
    expect(splitter.dropped).toBe(100_000);
  });
});
