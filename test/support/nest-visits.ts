import type { Emitter, View } from '@goka/core';
import { getEmitterToken, getViewToken } from '@goka/nestjs';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { expect } from 'vitest';
import { eventually } from './eventually.js';

// The Nest Schema Registry system tests' app: users visit, a processor counts their visits with their
// latest plan (Avro input and Avro table), an emitter writes and a view reads.

export interface User {
  name: string;
  plan: string;
}
export interface Visits {
  count: number;
  plan: string;
}

export const USER_SCHEMA = { type: 'record', name: 'User', namespace: 'nest', fields: [{ name: 'name', type: 'string' }, { name: 'plan', type: 'string' }] };
export const VISITS_SCHEMA = { type: 'record', name: 'Visits', namespace: 'nest', fields: [{ name: 'count', type: 'int' }, { name: 'plan', type: 'string' }] };

/**
 * Starts a Nest app of `module`, emits two visits of `ann` through its emitter of `topic` and waits
 * until its view of `group` serves them; `started` gets the app as soon as it exists (to close it).
 */
export async function visitTwiceAndRead(module: Type, topic: string, group: string, started: (app: INestApplication) => void): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  started(app);
  await app.init();
  const emitter = app.get<Emitter<User>>(getEmitterToken(topic));
  await emitter.emit('ann', { name: 'ann', plan: 'pro' });
  await emitter.emit('ann', { name: 'ann', plan: 'team' });
  const view = app.get<View<Visits>>(getViewToken(group));
  await eventually(async () => expect({ ...(await view.get('ann')) }).toEqual({ count: 2, plan: 'team' }));
  return app;
}
