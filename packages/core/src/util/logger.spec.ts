import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { prefixedLogger, streamLogger } from './logger.js';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('streamLogger', () => {
  it('writes entries from its level up, with fields as JSON', () => {
    const out = capture();
    const logger = streamLogger('info', out.stream);
    logger.debug('hidden');
    logger.info('partition recovered', { topic: 'clicks-table', partition: 3 });
    logger.error('failed', { error: new Error('boom'), offset: 12n });
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/goka INFO partition recovered {"topic":"clicks-table","partition":3}$/);
    expect(lines[1]).toMatch(/goka ERROR failed {"error":{"name":"Error","message":"boom"},"offset":"12"}$/);
  });

  it('prefixes messages', () => {
    const out = capture();
    prefixedLogger(streamLogger('debug', out.stream), '[View t] ').warn('reconnecting');
    expect(out.text()).toMatch(/WARN \[View t\] reconnecting\n$/);
  });
});
