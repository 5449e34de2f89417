import { sleep } from '../util.js';
import { isRetriableKafkaError } from '../kafkajs-errors.js';
import { kafkaErrorFromCode, negotiatedVersion, sendRawRequest } from '../kafkajs-internals.js';
import type { RawBroker, RawCluster } from '../kafkajs-internals.js';
import { COORDINATOR_KEY_TYPE, decodeFindCoordinatorResponse, encodeFindCoordinatorRequest, FIND_COORDINATOR } from './find-coordinator-request.js';
import { TransactionCodeError, transactionErrorKind } from './transaction-errors.js';

/** One request kind: its API key, name and the one version we encode. */
export interface RequestSpec {
  readonly apiKey: number;
  readonly apiName: string;
  readonly version: number;
}

/** Which coordinator a request goes to. */
export type CoordinatorKey = { readonly transactionalId: string } | { readonly groupId: string };

/** How long and how often coordinator requests are retried. */
export interface CoordinatorRetry {
  /** Give up after failing this long, ms. */
  readonly timeoutMs: number;
  /** First backoff, ms, doubling up to {@link maxMs}. */
  readonly initialMs: number;
  readonly maxMs: number;
}

const keyOf = (key: CoordinatorKey): string => ('transactionalId' in key ? `t\u0000${key.transactionalId}` : `g\u0000${key.groupId}`);

/**
 * The requests of a transactional producer to its transaction coordinator and to the group
 * coordinators of the offsets it commits, on kafkajs' broker connections. A coordinator is looked up
 * with FindCoordinator once and forgotten when it says it no longer is one (NOT_COORDINATOR,
 * COORDINATOR_NOT_AVAILABLE) or its connection fails. Errors a later attempt may clear (a transaction
 * still completing: CONCURRENT_TRANSACTIONS; a coordinator loading; a lost connection) are retried
 * with a doubling backoff for up to {@link CoordinatorRetry.timeoutMs}; any other error code rejects
 * with a {@link TransactionCodeError}.
 */
export class CoordinatorClient {
  private readonly coordinators = new Map<string, RawBroker>();

  constructor(
    private readonly cluster: RawCluster,
    private readonly retry: CoordinatorRetry,
  ) {}

  /**
   * Sends `body` to the coordinator of `key` and decodes the answer; `errorOf` gives the answer's
   * first error code (0: none). Retries as the class comment says.
   */
  async call<T>(key: CoordinatorKey, spec: RequestSpec, body: Buffer, decode: (body: Buffer) => T, errorOf: (answer: T) => number): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      let failure: unknown;
      try {
        const broker = await this.coordinator(key);
        const answer = await this.send(broker, spec, body, decode);
        const code = errorOf(answer);
        if (code === 0) return answer;
        failure = new TransactionCodeError(code, spec.apiName, kafkaErrorFromCode(code));
        if (transactionErrorKind(code) === 'rediscover') this.coordinators.delete(keyOf(key));
      } catch (error) {
        failure = error;
        if (!(error instanceof TransactionCodeError) && isRetriableKafkaError(error)) {
          this.coordinators.delete(keyOf(key));
          await this.cluster.refreshMetadata().catch(() => undefined);
        }
      }
      const retriable = failure instanceof TransactionCodeError ? failure.retriable : isRetriableKafkaError(failure);
      if (!retriable || Date.now() - started >= this.retry.timeoutMs) throw failure;
      await sleep(Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** attempt));
    }
  }

  /** Forgets every coordinator (e.g. after a reconnect). */
  forget(): void {
    this.coordinators.clear();
  }

  private async coordinator(key: CoordinatorKey): Promise<RawBroker> {
    const known = this.coordinators.get(keyOf(key));
    if (known !== undefined) return known;
    // Any broker answers FindCoordinator; kafkajs' "controller" is one it has metadata for.
    const any = await this.cluster.findControllerBroker();
    const isTransaction = 'transactionalId' in key;
    const answer = await this.send(
      any,
      FIND_COORDINATOR,
      encodeFindCoordinatorRequest(isTransaction ? key.transactionalId : key.groupId, isTransaction ? COORDINATOR_KEY_TYPE.transaction : COORDINATOR_KEY_TYPE.group),
      decodeFindCoordinatorResponse,
    );
    if (answer.errorCode !== 0) throw new TransactionCodeError(answer.errorCode, FIND_COORDINATOR.apiName, kafkaErrorFromCode(answer.errorCode));
    const broker = await this.cluster.findBroker({ nodeId: String(answer.nodeId) });
    this.coordinators.set(keyOf(key), broker);
    return broker;
  }

  private send<T>(broker: RawBroker, spec: RequestSpec, body: Buffer, decode: (body: Buffer) => T): Promise<T> {
    if (negotiatedVersion(broker, spec.apiKey, spec.version, spec.version) === undefined) {
      throw new Error(`the broker does not support ${spec.apiName} version ${spec.version}, which the transactional producer needs`);
    }
    return sendRawRequest(broker, { apiKey: spec.apiKey, apiVersion: spec.version, apiName: spec.apiName, body, decode });
  }
}
