import fc from 'fast-check';
import { loadBrowserModule } from './test-support/browser-module';

const { SseParser } = loadBrowserModule<typeof import('../assets/sse-parser.js')>('sse-parser.js');

function parseAll(chunks: string[]) {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('SseParser (assets/sse-parser.js)', () => {
  it('parses the api change stream: comments, event names, ids and JSON data', () => {
    const body =
      ': wasmbed read-model changes\n\n' +
      'event: device\nid: 42\ndata: {"kind":"CHANGE_KIND_ADDED","device":{"name":"dev-1"},"position":42}\n\n' +
      ': heartbeat\n\n' +
      'event: gateway\nid: 43\ndata: {"kind":"CHANGE_KIND_MODIFIED"}\n\n';
    expect(parseAll([body])).toEqual([
      { type: 'device', data: '{"kind":"CHANGE_KIND_ADDED","device":{"name":"dev-1"},"position":42}', lastEventId: '42' },
      { type: 'gateway', data: '{"kind":"CHANGE_KIND_MODIFIED"}', lastEventId: '43' },
    ]);
  });

  it('follows the standard: default type, multi-line data, one optional space, fields without colon, CR and CRLF, BOM', () => {
    expect(parseAll(['\uFEFFdata:a\r\ndata:  b\rdata\n\n', 'event: x\ndata\r\n\r\n'])).toEqual([
      { type: 'message', data: 'a\n b\n', lastEventId: '' },
      { type: 'x', data: '', lastEventId: '' },
    ]);
  });

  it('dispatches nothing for a block without data, keeps the last id, ignores ids with NUL and unknown fields', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\nevent: lonely\n\nfoo: bar\ndata: one\n\nid: a\0b\ndata: two\n\n')).toEqual([
      { type: 'message', data: 'one', lastEventId: '7' },
      { type: 'message', data: 'two', lastEventId: '7' },
    ]);
  });

  it('reads retry: when it is a number only', () => {
    const parser = new SseParser();
    parser.push('retry: 1x\n\n');
    expect(parser.retryMs).toBeUndefined();
    parser.push('retry: 2500\n\n');
    expect(parser.retryMs).toBe(2500);
  });

  it('holds back an event until its blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('event: device\ndata: {"a"')).toEqual([]);
    expect(parser.push(':1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ type: 'device', data: '{"a":1}', lastEventId: '' }]);
  });

  it('treats a CR at the end of a chunk and an LF opening the next as one line break', () => {
    expect(parseAll(['data: a\r', '\n', '\r', '\ndata: b\n\n'])).toEqual([
      { type: 'message', data: 'a', lastEventId: '' },
      { type: 'message', data: 'b', lastEventId: '' },
    ]);
  });

  it('gives the same events however the stream is split into chunks', () => {
    const line = fc.constantFrom('event: device', 'data: {"x":1}', 'data:', 'id: 9', ': heartbeat', 'retry: 10', 'data: é ✓', '');
    const eol = fc.constantFrom('\n', '\r\n', '\r');
    const stream = fc.array(fc.tuple(line, eol), { maxLength: 40 }).map((lines) => lines.map(([l, e]) => l + e).join(''));
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (body, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((from, i) => body.slice(from, [...points, body.length][i]));
        expect(parseAll(chunks)).toEqual(parseAll([body]));
      }),
    );
  });
});
