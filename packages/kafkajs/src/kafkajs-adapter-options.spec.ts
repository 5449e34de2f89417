import { describe, expect, it } from 'vitest';
import { GokaError, KafkaBrokersError } from '@goka/core';
import { KafkajsAdapter } from './kafkajs-adapter.js';
import type { KafkajsAdapterOptions } from './kafkajs-options.js';

const brokers = ['127.0.0.1:1'];

describe('KafkajsAdapter producer options', () => {
  it('refuses a missing or empty broker list with the KafkaBrokersError every component throws', () => {
    for (const none of [[], undefined] as unknown as Array<readonly string[]>) {
      expect(() => new KafkajsAdapter({ brokers: none })).toThrow(KafkaBrokersError);
    }
    expect(() => new KafkajsAdapter({ brokers: [] })).toThrow(/^KafkajsAdapter needs `brokers`, a non-empty list of "host:port" strings/);
  });

  it('takes acks -1 (default) or 1, and refuses anything else naming the choices', () => {
    expect(() => new KafkajsAdapter({ brokers })).not.toThrow();
    expect(() => new KafkajsAdapter({ brokers, acks: 1 })).not.toThrow();
    const zero = { brokers, acks: 0 } as unknown as KafkajsAdapterOptions;
    expect(() => new KafkajsAdapter(zero)).toThrow(GokaError);
    expect(() => new KafkajsAdapter(zero)).toThrow(/acks must be -1 \(all in-sync replicas\) or 1 \(the leader\), got 0/);
  });

  it('refuses an idempotent producer with acks 1 (it needs every in-sync replica)', () => {
    expect(() => new KafkajsAdapter({ brokers, acks: 1, idempotent: true })).toThrow(/cannot be idempotent with acks 1/);
    expect(() => new KafkajsAdapter({ brokers, acks: 1, idempotent: false })).not.toThrow();
  });
});
