import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kafkaBrokersFromEnv, sampleConfigFromEnv } from './sample-config.js';

describe('sample config', () => {
  it('reads KAFKA_BROKERS as a comma-separated list', () => {
    expect(kafkaBrokersFromEnv({ KAFKA_BROKERS: ' 127.0.0.1:9092, 127.0.0.1:9093 ,' })).toEqual([
      '127.0.0.1:9092',
      '127.0.0.1:9093',
    ]);
    expect(kafkaBrokersFromEnv({})).toEqual([]);
  });

  it('defaults to the embedded Kafka, 4 partitions and sample-app/data', () => {
    expect(sampleConfigFromEnv({})).toMatchObject({ brokers: [], partitions: 4, dataDir: resolve('sample-app/data') });
    expect(sampleConfigFromEnv({ DATA_DIR: '/tmp/x', PARTITIONS: '8' })).toMatchObject({ dataDir: '/tmp/x', partitions: 8 });
    expect(() => sampleConfigFromEnv({ PARTITIONS: 'zero' })).toThrow(RangeError);
  });
});
