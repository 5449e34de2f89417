import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaAuthenticationError, KafkaConnectionError, KafkaTlsError } from '@goka/core';
import { isRetriableError } from '@goka/core/kafka';
import { isRetriableKafkaError } from './kafkajs-errors.js';
import { portError } from './kafkajs-port-errors.js';
import { connectSecurity, findSaslFailure, findTlsFailure, securityConnectError } from './kafkajs-security-errors.js';

/** kafkajs' error classes as its runtime defines them (its type declarations leave out some and some arguments). */
type KafkajsErrorClass = new (error: Error | string | object, options?: Record<string, unknown>) => Error;
const kafkajsError = (name: string): KafkajsErrorClass => (kafkajs as unknown as Record<string, KafkajsErrorClass>)[name] as KafkajsErrorClass;
const KafkaJSConnectionClosedError = kafkajsError('KafkaJSConnectionClosedError');
const KafkaJSConnectionError = kafkajsError('KafkaJSConnectionError');
const KafkaJSNonRetriableError = kafkajsError('KafkaJSNonRetriableError');
const KafkaJSNumberOfRetriesExceeded = kafkajsError('KafkaJSNumberOfRetriesExceeded');
const KafkaJSProtocolError = kafkajsError('KafkaJSProtocolError');
const KafkaJSSASLAuthenticationError = kafkajsError('KafkaJSSASLAuthenticationError');

/** What kafkajs' retrier makes of an error it does not retry (src/retry/index.js). */
const gaveUp = (error: Error): Error => new KafkaJSNonRetriableError(error, { cause: error });
/** What kafkajs' retrier makes of a retriable error once its retries are used up. */
const exhausted = (error: Error): Error => new KafkaJSNumberOfRetriesExceeded(error, { retryCount: 0, retryTime: 100 });
/** kafkajs' connection.js `onError`: Node's socket error as a KafkaJSConnectionError with Node's code. */
const socketError = (message: string, code: string): Error =>
  new KafkaJSConnectionError(`Connection error: ${message}`, { broker: '127.0.0.1:9094', code });

const target = (security: ReturnType<typeof connectSecurity>) => ({ brokers: ['127.0.0.1:9094'], clientId: 'goka-emitter-clicks', security });
const saslSsl = connectSecurity({ ca: ['pem'] }, { mechanism: 'scram-sha-256', username: 'goka', password: 'secret' });

describe('kafkajs SASL and TLS errors → typed errors', () => {
  it('reads mechanism and user (never the password) and whether TLS is on from the kafkajs options', () => {
    expect(saslSsl).toEqual({ tls: true, sasl: { mechanism: 'SCRAM-SHA-256', username: 'goka' } });
    expect(connectSecurity(true, { mechanism: 'plain', username: 'u', password: 'p' })).toEqual({ tls: true, sasl: { mechanism: 'PLAIN', username: 'u' } });
    expect(connectSecurity(undefined, undefined)).toEqual({ tls: false });
    expect(connectSecurity(false, undefined)).toEqual({ tls: false });
  });

  it('a refused SASL authentication (behind the retrier) is a KafkaAuthenticationError naming mechanism, user and brokers', () => {
    const refused = new KafkaJSSASLAuthenticationError(
      'SASL SCRAM SHA256 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
    );
    const failure = gaveUp(refused);
    expect(findSaslFailure(failure)).toBe(refused);
    expect(isRetriableKafkaError(failure)).toBe(false);
    const error = securityConnectError(target(saslSsl), failure);
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    expect(error).toBeInstanceOf(KafkaConnectionError);
    expect(error).toMatchObject({ mechanism: 'SCRAM-SHA-256', username: 'goka', brokers: ['127.0.0.1:9094'], retriable: false, cause: failure });
    expect(error?.message).toBe(
      'could not authenticate to Kafka at 127.0.0.1:9094 (client "goka-emitter-clicks") with SASL SCRAM-SHA-256 as user "goka": ' +
        `${refused.message}; check the sasl option (mechanism, username, password) against the broker's users (not retried)`,
    );
    expect(error?.message).not.toContain('secret');
    const named = (error as KafkaAuthenticationError).forComponent('processor group "counter"');
    expect(named).toBeInstanceOf(KafkaAuthenticationError);
    expect(named).toMatchObject({ component: 'processor group "counter"', mechanism: 'SCRAM-SHA-256', retriable: false });
    expect(named.message).toMatch(/^processor group "counter" could not authenticate to Kafka at 127\.0\.0\.1:9094 .* with SASL SCRAM-SHA-256/);
  });

  it('a mechanism the broker does not enable is an authentication error too', () => {
    const unsupported = new KafkaJSProtocolError({
      message: 'The broker does not support the requested SASL mechanism',
      type: 'UNSUPPORTED_SASL_MECHANISM',
      code: 33,
      retriable: false,
    });
    const error = securityConnectError(target(connectSecurity(true, { mechanism: 'plain', username: 'goka', password: 'x' })), gaveUp(unsupported));
    expect(error).toBeInstanceOf(KafkaAuthenticationError);
    expect(error).toMatchObject({ mechanism: 'PLAIN' });
  });

  it('an untrusted broker certificate is a KafkaTlsError (certificate, not retriable), also behind the retrier', () => {
    for (const [message, code] of [
      ['self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'],
      ['unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
      ['self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
      ["Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ] as const) {
      const failure = exhausted(socketError(message, code));
      expect(isRetriableKafkaError(failure)).toBe(false);
      // kafkajs flags the connection error retriable: what the adapter lets through says otherwise.
      expect(isRetriableError(portError(failure))).toBe(false);
      const error = securityConnectError(target(saslSsl), failure);
      expect(error).toBeInstanceOf(KafkaTlsError);
      expect(error).toMatchObject({ problem: 'certificate', tlsCode: code, retriable: false });
      expect(error?.message).toContain("TLS problem: the broker's certificate was rejected");
      expect(error?.message).toContain(message);
    }
  });

  it('a TLS handshake cut off (a TLS client on a plaintext port) is a retriable KafkaTlsError (handshake)', () => {
    const reset = socketError('Client network socket disconnected before secure TLS connection was established', 'ECONNRESET');
    expect(isRetriableKafkaError(reset)).toBe(true);
    expect(findTlsFailure(exhausted(reset), { tls: true })).toEqual({ problem: 'handshake', code: 'ECONNRESET' });
    expect(findTlsFailure(socketError('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'), { tls: true })).toMatchObject({ problem: 'handshake' });
    const error = securityConnectError(target(saslSsl), exhausted(reset));
    expect(error).toMatchObject({ problem: 'handshake', retriable: true });
    expect(error?.message).toContain('TLS problem: the connection closed before the TLS handshake completed');
    // Without TLS a reset is a plain connection error.
    expect(findTlsFailure(socketError('read ECONNRESET', 'ECONNRESET'), { tls: false })).toBeUndefined();
  });

  it('a connection closed before any answer to a client without TLS suggests a TLS listener (without-tls)', () => {
    const closed = new KafkaJSConnectionClosedError('Closed connection', { host: '127.0.0.1', port: 9094 });
    const error = securityConnectError(target(connectSecurity(undefined, undefined)), exhausted(closed));
    expect(error).toBeInstanceOf(KafkaTlsError);
    expect(error).toMatchObject({ problem: 'without-tls', retriable: true });
    expect(error?.message).toContain('probably a TLS problem');
    expect(error?.message).toContain('set the ssl option');
    // With TLS on, a closed connection is not a TLS problem.
    expect(securityConnectError(target(saslSsl), exhausted(closed))).toBeUndefined();
  });

  it('other failures are left to the caller', () => {
    expect(securityConnectError(target(saslSsl), exhausted(socketError('connect ECONNREFUSED 127.0.0.1:9094', 'ECONNREFUSED')))).toBeUndefined();
    expect(securityConnectError(target(saslSsl), new Error('boom'))).toBeUndefined();
    expect(securityConnectError(target(saslSsl), undefined)).toBeUndefined();
  });
});
