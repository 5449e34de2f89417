import { describe, expect, it } from 'vitest';
import { GokaError } from '../errors/goka-error.js';
import { KafkaBrokersError } from '../errors/kafka-brokers-error.js';
import { checkBrokers } from './brokers.js';

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('checkBrokers', () => {
  it('returns a non-empty list of host:port strings as it is', () => {
    const brokers = ['127.0.0.1:9092', 'kafka-2:9092'];
    expect(checkBrokers(brokers, 'View "t"')).toBe(brokers);
  });

  it('throws a KafkaBrokersError naming the component, offering `kafka` where it is taken instead', () => {
    for (const missing of [undefined, []]) {
      const error = caught(() => checkBrokers(missing, 'Processor "clicks"'));
      expect(error).toBeInstanceOf(KafkaBrokersError);
      expect(error).toBeInstanceOf(GokaError);
      expect(error).toMatchObject({ component: 'Processor "clicks"', brokers: missing, retriable: false });
      expect((error as Error).message).toBe(
        "Processor \"clicks\" needs `brokers` (e.g. ['127.0.0.1:9092']) or `kafka` (an adapter such as new MemoryKafka())",
      );
    }
    expect(caught(() => checkBrokers([], 'KafkajsAdapter', false))).toMatchObject({
      message: `KafkajsAdapter needs \`brokers\`, a non-empty list of "host:port" strings such as ['127.0.0.1:9092']`,
    });
  });

  it('says what was given when it is not a list of non-empty strings', () => {
    const cases: Array<[unknown, string]> = [
      ['127.0.0.1:9092', '"127.0.0.1:9092"'],
      [['a:1', ''], '["a:1",""]'],
      [['a:1', 9092], '["a:1",9092]'],
      [null, 'null'],
      [() => ['a:1'], 'a function'],
    ];
    for (const [brokers, shown] of cases) {
      const error = caught(() => checkBrokers(brokers, 'GokaModule'));
      expect(error).toBeInstanceOf(KafkaBrokersError);
      expect((error as Error).message).toBe(
        `GokaModule needs \`brokers\`, a non-empty list of "host:port" strings such as ['127.0.0.1:9092'], got ${shown}`,
      );
    }
  });
});
