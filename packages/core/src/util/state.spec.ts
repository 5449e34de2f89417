import { describe, expect, it } from 'vitest';
import { StateSignal } from './state.js';

const STATES = ['stopped', 'connecting', 'recovering', 'running'] as const;
type S = (typeof STATES)[number];

const signal = (initial: S = 'stopped') => new StateSignal<S>(STATES, initial);

describe('StateSignal', () => {
  it('starts in the initial state and changes on set', () => {
    const s = signal();
    expect(s.state).toBe('stopped');
    s.set('connecting');
    expect(s.state).toBe('connecting');
    expect(s.is('connecting')).toBe(true);
    expect(s.is('running')).toBe(false);
  });

  it('rejects undeclared states (Goka panics)', () => {
    const s = signal();
    expect(() => s.set('bogus' as S)).toThrow(RangeError);
    expect(() => s.set('bogus' as S)).toThrow(/state "bogus" is not declared \(declared states: stopped, connecting, recovering, running\)/);
    expect(() => new StateSignal<S>(STATES, 'nope' as S)).toThrow(RangeError);
    expect(s.state).toBe('stopped');
  });

  it('compares states in declaration order', () => {
    const s = signal('recovering');
    expect(s.atLeast('connecting')).toBe(true);
    expect(s.atLeast('recovering')).toBe(true);
    expect(s.atLeast('running')).toBe(false);
    expect(s.rank('running')).toBe(3);
  });

  it('waitFor resolves at once when already there, else on the exact state', async () => {
    const s = signal();
    await s.waitFor('stopped');
    const order: string[] = [];
    const running = s.waitFor('running').then(() => order.push('running'));
    const connecting = s.waitFor('connecting').then(() => order.push('connecting'));
    s.set('connecting');
    await connecting;
    s.set('recovering');
    s.set('running');
    await running;
    expect(order).toEqual(['connecting', 'running']);
  });

  it('waitFor does not resolve for a state that was skipped', async () => {
    const s = signal();
    let resolved = false;
    void s.waitFor('recovering').then(() => {
      resolved = true;
    });
    s.set('running');
    await Promise.resolve();
    expect(resolved).toBe(false);
    s.set('recovering');
    await Promise.resolve();
    expect(resolved).toBe(true);
  });

  it('waitForMin resolves for the state or any later one', async () => {
    const s = signal();
    const min = s.waitForMin('recovering');
    s.set('connecting');
    s.set('running');
    await min;
    await s.waitForMin('connecting');
  });

  it('a wait rejects with the abort reason', async () => {
    const s = signal();
    const controller = new AbortController();
    const wait = s.waitFor('running', controller.signal);
    controller.abort(new Error('gave up'));
    await expect(wait).rejects.toThrow('gave up');
    await expect(s.waitForMin('running', controller.signal)).rejects.toThrow('gave up');
    // An aborted waiter is dropped: later changes do not touch it.
    s.set('running');
    await s.waitFor('running', controller.signal);
  });

  it('observers see every change with the previous state, until unsubscribed', () => {
    const s = signal();
    const seen: string[] = [];
    const stop = s.observe((state, previous) => seen.push(`${previous}->${state}`));
    s.set('connecting');
    s.set('connecting');
    s.set('running');
    stop();
    s.set('stopped');
    expect(seen).toEqual(['stopped->connecting', 'connecting->running']);
  });

  it('a throwing observer does not stop the others; set rethrows after all ran', () => {
    const s = signal();
    const seen: string[] = [];
    s.observe(() => {
      throw new Error('listener bug');
    });
    s.observe((state) => seen.push(state));
    expect(() => s.set('running')).toThrow('listener bug');
    expect(seen).toEqual(['running']);
    expect(s.state).toBe('running');
  });

  it('the same function can subscribe twice and unsubscribe each separately', () => {
    const s = signal();
    let calls = 0;
    const listener = (): void => {
      calls += 1;
    };
    const first = s.observe(listener);
    s.observe(listener);
    s.set('running');
    expect(calls).toBe(2);
    first();
    s.set('stopped');
    expect(calls).toBe(3);
  });
});
