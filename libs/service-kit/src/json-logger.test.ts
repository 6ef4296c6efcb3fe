import { createJsonLogger } from './json-logger';

describe('createJsonLogger', () => {
  it('writes one JSON line per entry, tagged with the service, dropping levels below the minimum', () => {
    const lines: string[] = [];
    const logger = createJsonLogger('demo', 'info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.info('started', { port: 80 });
    logger.error('broken');
    expect(lines).toHaveLength(2);
    expect(lines.every((line) => line.endsWith('\n'))).toBe(true);
    const [started, broken] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(started).toMatchObject({ level: 'info', service: 'demo', msg: 'started', port: 80 });
    expect(Number.isNaN(Date.parse(started.time as string))).toBe(false);
    expect(broken).toMatchObject({ level: 'error', msg: 'broken' });
  });

  it('gives errors their name, message and stack', () => {
    const lines: string[] = [];
    createJsonLogger('demo', 'debug', (line) => lines.push(line)).warn('failed', { error: new RangeError('too far') });
    const { error } = JSON.parse(lines[0]) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ name: 'RangeError', message: 'too far' });
    expect(error.stack).toContain('too far');
  });
});
