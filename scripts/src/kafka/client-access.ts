import { readFile } from 'node:fs/promises';
import type { SASLOptions } from 'kafkajs';
import type { ProbeAccess } from './probe.js';
import type { SaslMechanismName, SaslSslAccess } from './security.js';

/** kafkajs' spelling of a SASL mechanism (lower case). */
export type KafkajsSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/** kafkajs' `sasl` option for the secured profile's test user and `mechanism`. */
export function kafkajsSasl(access: SaslSslAccess, mechanism: SaslMechanismName = 'PLAIN'): SASLOptions {
  const { username, password } = access;
  switch (mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/**
 * kafkajs client options for the secured profile: `ssl` trusting its throw-away CA and `sasl` with its
 * test user over `mechanism` (default PLAIN).
 */
export async function kafkajsAccess(access: SaslSslAccess, mechanism: SaslMechanismName = 'PLAIN'): Promise<ProbeAccess> {
  return { ssl: { ca: [await readFile(access.caFile)] }, sasl: kafkajsSasl(access, mechanism) };
}
