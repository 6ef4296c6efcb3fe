import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { MAX_BODY_BYTES, readJsonBody } from './request-body';

function body(text: string, contentType?: string): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from(text)]), { headers: contentType === undefined ? {} : { 'content-type': contentType } }) as unknown as IncomingMessage;
}

const schema = z.strictObject({ enabled: z.boolean(), durationSeconds: z.number().int().optional() });

describe('readJsonBody', () => {
  it('parses a JSON body against a strict schema; an empty body is {}', async () => {
    await expect(readJsonBody(body('{"enabled":true}', 'application/json; charset=utf-8'), schema)).resolves.toEqual({ enabled: true });
    await expect(readJsonBody(body(''), z.strictObject({}))).resolves.toEqual({});
  });

  it('refuses wrong types and unknown fields, naming them', async () => {
    await expect(readJsonBody(body('{"enabled":"false"}'), schema)).rejects.toThrow(/^invalid request: enabled: /);
    await expect(readJsonBody(body('{"enabled":true,"gatewy":"x"}'), schema)).rejects.toThrow(/gatewy/);
  });

  it('refuses what is not JSON, another content type, and bodies over the limit', async () => {
    await expect(readJsonBody(body('{enabled'), schema)).rejects.toThrow(/^request body is not valid JSON/);
    await expect(readJsonBody(body('enabled=true', 'application/x-www-form-urlencoded'), schema)).rejects.toThrow(
      'request body must be application/json, not application/x-www-form-urlencoded',
    );
    await expect(readJsonBody(body(' '.repeat(MAX_BODY_BYTES + 1)), schema)).rejects.toThrow(`request body exceeds ${MAX_BODY_BYTES} bytes`);
  });
});
