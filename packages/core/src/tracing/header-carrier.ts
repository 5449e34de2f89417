import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { Headers } from '../kafka/message.js';

/** Writes propagation fields (`traceparent`, `tracestate`) as UTF-8 record headers. */
export const headerSetter: TextMapSetter<Record<string, Buffer>> = {
  set(carrier, key, value) {
    carrier[key] = Buffer.from(value, 'utf8');
  },
};

/** Reads propagation fields from record headers (Buffers, as Kafka delivers them). */
export const headerGetter: TextMapGetter<Headers> = {
  keys(carrier) {
    return Object.keys(carrier);
  },
  get(carrier, key) {
    return carrier[key]?.toString('utf8');
  },
};
