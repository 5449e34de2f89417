import type { GokaLogger } from '@goka/core';
import type { LogEntry } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkajsLogCreator } from './kafkajs-logger.js';

function recording(): { logger: GokaLogger; lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

const entry = (level: number, message: string, fields: Record<string, unknown> = {}): LogEntry => ({
  namespace: 'Connection',
  level,
  label: 'ERROR',
  log: { timestamp: '2026-12-07T00:00:00.000Z', message, ...fields },
});

describe('kafkajsLogCreator', () => {
  it('keeps ERROR for failures that are not retried and makes retried ones warnings', () => {
    const { logger, lines } = recording();
    const log = kafkajsLogCreator(logger)(1);
    log(entry(1, 'Response Metadata(key: 3, version: 6)', { error: 'This server does not host this topic-partition', correlationId: 1 }));
    log(entry(1, 'Failed to send messages: connection lost', { retryCount: 0, retryTime: 300 }));
    log(entry(1, 'Response SaslAuthenticate(key: 36, version: 1)', { error: 'Authentication failed during authentication due to invalid credentials' }));
    log(entry(2, 'a warning'));
    expect(lines).toEqual([
      'warn kafkajs Connection: Response Metadata(key: 3, version: 6)',
      'warn kafkajs Connection: Failed to send messages: connection lost',
      'error kafkajs Connection: Response SaslAuthenticate(key: 36, version: 1)',
      'warn kafkajs Connection: a warning',
    ]);
  });
});
