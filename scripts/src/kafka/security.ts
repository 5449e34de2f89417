/**
 * The secured broker profile (`pnpm kafka up --security sasl_ssl`): one SASL_SSL client listener with
 * SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512, all for the same fixed **test** user. These credentials
 * protect nothing: the broker binds 127.0.0.1 only and exists for tests.
 */

/** `plaintext` (the default: one PLAINTEXT listener) or `sasl_ssl` (one SASL_SSL listener). */
export type KafkaSecurity = 'plaintext' | 'sasl_ssl';

/** SASL mechanisms the secured broker enables, in Kafka's spelling. */
export type SaslMechanismName = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export const SASL_MECHANISMS: readonly SaslMechanismName[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** The test user of every mechanism. */
export const SASL_USERNAME = 'goka';
export const SASL_PASSWORD = 'goka-secret';

/** The listener name (and security protocol) of the secured profile. */
export const SASL_SSL_LISTENER = 'SASL_SSL';

/** Where a client of the secured profile finds what it needs: the CA to trust and the SASL user. */
export interface SaslSslAccess {
  readonly protocol: 'sasl_ssl';
  /** PEM file of the throw-away CA that signed the broker certificate (`ssl: { ca: [readFileSync(caFile)] }`). */
  readonly caFile: string;
  readonly username: string;
  readonly password: string;
  readonly mechanisms: readonly SaslMechanismName[];
}
