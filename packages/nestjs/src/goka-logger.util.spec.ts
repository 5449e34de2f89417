import { describe, expect, it } from 'vitest';
import { createGokaLogger } from './goka-logger.util.js';
import { RecordingLogger } from './test-support/signals.util.js';

describe('createGokaLogger', () => {
  it('maps core levels to Nest levels and appends fields as JSON', () => {
    const nest = new RecordingLogger();
    const logger = createGokaLogger(nest);
    logger.debug('fetching', { topic: 'clicks', partition: 3 });
    logger.info('connected');
    logger.warn('slow', { offset: 12n, value: Buffer.from('abc') });
    const error = new Error('broken');
    logger.error('failed', { error });
    expect(nest.lines.map(({ level, message }) => [level, message])).toEqual([
      ['debug', 'fetching {"topic":"clicks","partition":3}'],
      ['log', 'connected'],
      ['warn', 'slow {"offset":"12","value":"<3 bytes>"}'],
      ['error', 'failed {"error":{"name":"Error","message":"broken"}}'],
    ]);
    expect(nest.lines[3]?.extra).toEqual([error.stack]);
  });
});
