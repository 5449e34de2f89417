import type { SASLOptions } from 'kafkajs';
import { GokaError, KafkaAuthenticationError, KafkaConnectionError, KafkaTlsError } from '@goka/core';
import type { KafkaConnectionErrorOptions, TlsProblem } from '@goka/core';
import { findCause } from './util.js';

/**
 * How the kafkajs adapter recognizes SASL and TLS failures in kafkajs' errors (by `name`, `type` and
 * `code`, no kafkajs class imported at runtime) and turns a failed first connect into a typed error.
 *
 * Where kafkajs reports them:
 * - SASL: `KafkaJSSASLAuthenticationError` (wrong user or password: "SASL PLAIN authentication failed:
 *   Authentication failed: Invalid username or password"), wrapped by kafkajs' retrier in
 *   `KafkaJSNonRetriableError`; a mechanism the broker does not enable is a protocol error
 *   `UNSUPPORTED_SASL_MECHANISM`.
 * - TLS: Node's socket error, wrapped in `KafkaJSConnectionError` with Node's `code`
 *   (`SELF_SIGNED_CERT_IN_CHAIN`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ERR_TLS_CERT_ALTNAME_INVALID`, …);
 *   a plaintext port answering a TLS client resets the socket ("Client network socket disconnected before
 *   secure TLS connection was established", `ECONNRESET`) or sends bytes that are not TLS (`ERR_SSL_*`).
 * - A TLS port answering a client without TLS closes the connection: `KafkaJSConnectionClosedError`.
 */

/** The SASL identity a client authenticates with: the mechanism in Kafka's spelling and the user. */
export interface SaslIdentity {
  readonly mechanism: string;
  readonly username?: string | undefined;
}

/** What a client connects with, to explain why its connect failed. */
export interface ConnectSecurity {
  /** Whether the client uses TLS (the `ssl` option is set). */
  readonly tls: boolean;
  readonly sasl?: SaslIdentity | undefined;
}

/** The security settings of kafkajs client options `ssl` and `sasl` (never the password). */
export function connectSecurity(ssl: unknown, sasl: SASLOptions | undefined): ConnectSecurity {
  const tls = ssl !== undefined && ssl !== false && ssl !== null;
  if (sasl === undefined) return { tls };
  const username = 'username' in sasl && typeof sasl.username === 'string' ? sasl.username : undefined;
  return { tls, sasl: { mechanism: sasl.mechanism.toUpperCase(), username } };
}

/** OpenSSL's certificate verification failures (Node's `code`), plus Node's own host-name check. */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_CHAIN_TOO_LONG',
  'CERT_REVOKED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Kafka protocol errors of the SASL exchange. */
const SASL_PROTOCOL_TYPES: ReadonlySet<string> = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
]);

/** Node's message when a TLS socket closes before its handshake completed. */
const HANDSHAKE_CUT = 'before secure TLS connection was established';

function field(error: object, name: 'name' | 'type' | 'code' | 'message'): string | undefined {
  // A GokaError's code is ours (GOKA_…), not Node's or kafkajs'.
  if (name === 'code' && error instanceof GokaError) return undefined;
  const value = (error as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** Whether `error` itself (not its causes) is a rejected broker certificate: retrying will not help. */
export function isTlsCertificateError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = field(error, 'code');
  return code !== undefined && CERTIFICATE_CODES.has(code);
}

/** kafkajs' SASL failure in `error`'s cause chain (itself first), or `undefined`. */
export function findSaslFailure(error: unknown): object | undefined {
  return findCause(error, (cause) => {
    const type = field(cause, 'type');
    return field(cause, 'name') === 'KafkaJSSASLAuthenticationError' || (type !== undefined && SASL_PROTOCOL_TYPES.has(type))
      ? cause
      : undefined;
  });
}

/** A TLS problem found in a failed first connect's cause chain. */
export interface TlsFailure {
  readonly problem: TlsProblem;
  readonly code: string | undefined;
}

/**
 * The TLS problem behind a failed first connect of a client with (`security.tls`) or without TLS, or
 * `undefined` when the cause chain shows none.
 */
export function findTlsFailure(error: unknown, security: ConnectSecurity): TlsFailure | undefined {
  return findCause(error, (cause): TlsFailure | undefined => {
    const code = field(cause, 'code');
    if (isTlsCertificateError(cause)) return { problem: 'certificate', code };
    if (!security.tls) return field(cause, 'name') === 'KafkaJSConnectionClosedError' ? { problem: 'without-tls', code } : undefined;
    if (code?.startsWith('ERR_SSL_') === true) return { problem: 'handshake', code };
    // The socket's own error (wrappers such as KafkaJSNumberOfRetriesExceeded copy its message, not its code).
    const socketError = code !== undefined || field(cause, 'name') === 'KafkaJSConnectionError';
    if (socketError && field(cause, 'message')?.includes(HANDSHAKE_CUT) === true) return { problem: 'handshake', code };
    return undefined;
  });
}

/** Where a first connect failed: the bootstrap brokers, the client and its security settings. */
export interface ConnectTarget {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly security?: ConnectSecurity | undefined;
}

/**
 * The typed error of a first connect that failed with `failure` (`cause` is what the error keeps as its
 * cause; by default the failure): {@link KafkaAuthenticationError} for a SASL failure,
 * {@link KafkaTlsError} for a TLS problem, `undefined` for anything else.
 */
export function securityConnectError(target: ConnectTarget, failure: unknown, cause: unknown = failure): KafkaConnectionError | undefined {
  const security = target.security ?? { tls: false };
  const options: KafkaConnectionErrorOptions = { cause };
  if (findSaslFailure(failure) !== undefined) {
    return new KafkaAuthenticationError(target.brokers, target.clientId, {
      ...options,
      mechanism: security.sasl?.mechanism ?? 'unknown',
      username: security.sasl?.username,
    });
  }
  const tls = findTlsFailure(failure, security);
  if (tls === undefined) return undefined;
  return new KafkaTlsError(target.brokers, target.clientId, { ...options, problem: tls.problem, tlsCode: tls.code });
}
