// Test-only HTTP helpers (excluded from the build).
import { get, request, type ClientRequest, type IncomingMessage } from 'node:http';

function headers(token?: string): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

export function getText(url: string, token?: string): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: headers(token) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

export async function getJson<T = unknown>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const { status, body } = await getText(url, token);
  return { status, body: JSON.parse(body) as T };
}

/** A request with a JSON body (or a raw string body); answers status, headers and the parsed JSON body. */
export function sendJson<T = unknown>(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: IncomingMessage['headers']; body: T }> {
  const payload = options.body === undefined ? '' : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { 'content-type': 'application/json', ...headers(options.token), ...options.headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as T }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface SseEvent {
  readonly event: string;
  readonly id: string;
  readonly data: unknown;
}

/** An open server-sent events stream; `next` waits for the first event matching a predicate. */
export class SseClient {
  private buffer = '';
  private readonly events: SseEvent[] = [];
  private readonly waiters = new Set<() => void>();
  comments = 0;

  private constructor(
    private readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.push(chunk));
  }

  static open(url: string, token?: string): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = get(url, { headers: headers(token) }, (response) => resolve(new SseClient(request, response)));
      request.on('error', reject);
    });
  }

  next(matches: (event: SseEvent) => boolean, timeoutMs = 5_000): Promise<SseEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(matches);
        if (!found) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no matching server-sent event within ${timeoutMs} ms (got ${this.events.length})`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.request.destroy();
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of frame.split('\n')) {
        if (line.startsWith(':')) this.comments += 1;
        const colon = line.indexOf(': ');
        if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 2);
      }
      if (fields.data !== undefined) this.events.push({ event: fields.event ?? 'message', id: fields.id ?? '', data: JSON.parse(fields.data) });
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}
