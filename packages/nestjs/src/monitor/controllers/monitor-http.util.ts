import {
  BadRequestException,
  ConflictException,
  NotFoundException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { actionValueNotText, jsonRequired } from '../monitor.messages.js';
import { MonitorBadRequestError } from '../errors/monitor-bad-request.error.js';
import { MonitorConflictError } from '../errors/monitor-conflict.error.js';
import { MonitorNotFoundError } from '../errors/monitor-not-found.error.js';
import { MonitorQueryError } from '../errors/monitor-query.error.js';

/** The part of a request the monitor's controllers read (any HTTP platform). */
export interface MonitorRequest {
  readonly originalUrl?: string;
  readonly url?: string;
}

/**
 * Runs `work`, turning the monitor's errors into HTTP answers with a `MonitorErrorBody`
 * (`{ statusCode, error, message }`): not found → 404, conflict → 409, bad request → 400,
 * unreadable value → 422.
 */
export async function answer<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MonitorNotFoundError) throw new NotFoundException(error.message, { cause: error });
    if (error instanceof MonitorConflictError) throw new ConflictException(error.message, { cause: error });
    if (error instanceof MonitorBadRequestError) throw new BadRequestException(error.message, { cause: error });
    if (error instanceof MonitorQueryError) throw new UnprocessableEntityException(error.message, { cause: error });
    throw error;
  }
}

/**
 * The path the monitor was reached under (with the app's global prefix, if any): the request's
 * path without its last `segments` segments and without a trailing slash, e.g. `/goka` for
 * `/goka/api/overview` with 2.
 */
export function mountPath(request: MonitorRequest, segments: number): string {
  const raw = request.originalUrl ?? request.url ?? '';
  const parts = (raw.split('?')[0] ?? '').replace(/\/+$/, '').split('/');
  return parts.slice(0, Math.max(1, parts.length - segments)).join('/');
}

/**
 * Refuses (415) a request whose `Content-Type` is not `application/json`: the actions change state,
 * and a JSON content type cannot be sent by a cross-site form or a simple cross-origin request
 * (a browser asks the server first, CORS preflight), which keeps them safe from CSRF.
 */
export function requireJson(contentType: string | undefined, route: string): void {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaTypeException(jsonRequired(route, contentType));
}

/**
 * The value of an action start request: a string, or `undefined` for an absent or `null` value.
 * @throws MonitorBadRequestError (400) for any other JSON type, which would otherwise run the
 *   action with a text such as `[object Object]`
 */
export function actionValue(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new MonitorBadRequestError(actionValueNotText(name, value));
}
