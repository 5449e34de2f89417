import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { GraphValidationError } from '../errors/graph-validation-error.js';
import { defineGroup } from './define-group.js';
import type { Edge } from './edge.js';
import { input, inputs, join, lookup, loop, output, persist, visitor } from './edges.js';
import { GroupGraph } from './group-graph.js';

const c = codecs.string;
const cb = (): void => {};
const shared = (): void => {};
const loopCb = (): void => {};
const visitCb = (): void => {};

function thrownBy(fn: () => unknown): GraphValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GraphValidationError) return error;
    throw error;
  }
  throw new Error('expected a GraphValidationError');
}

describe('defineGroup: inputs flattening', () => {
  it('inputs become single input edges in order, sharing codec and callback', () => {
    const g = defineGroup('g', input('a', c, cb), inputs(['b', 'c'], codecs.int64, shared), input('d', c, cb));
    expect(g.inputStreams().map((e) => [e.kind, e.topic])).toEqual([
      ['input', 'a'], ['input', 'b'], ['input', 'c'], ['input', 'd'],
    ]);
    expect(g.callback('b')).toBe(shared);
    expect(g.callback('c')).toBe(shared);
    expect(g.codec('c')).toBe(codecs.int64);
    expect(g.allEdges().every((e) => e.kind !== ('inputs' as string))).toBe(true);
  });

  it('an empty inputs list contributes nothing', () => {
    const empty = inputs([], c, cb);
    expect(String(empty)).toBe('empty input streams');
    expect(empty.topic).toBe('');
    const g = defineGroup('g', empty, input('a', c, cb));
    expect(g.inputStreams()).toHaveLength(1);
    expect(g.allEdges()).toHaveLength(1);
    expect(defineGroup('g', empty).validationError()?.rule).toBe('no-input');
  });

  it('inputs copies its topic list', () => {
    const topics = ['a', 'b'];
    const edge = inputs(topics, c, cb);
    topics.push('c');
    expect(edge.topics).toEqual(['a', 'b']);
    expect(defineGroup('g', edge).inputStreams()).toHaveLength(2);
  });
});

describe('defineGroup: errors it throws (where Goka panics)', () => {
  it('a second callback for one input topic names group and topic', () => {
    const error = thrownBy(() => defineGroup('clicks', input('a', c, cb), input('a', codecs.int64, cb)));
    expect(error.rule).toBe('duplicate-input');
    expect([error.group, error.topic, error.edge]).toEqual(['clicks', 'a', 'a/int64']);
    expect(error.message).toBe(
      'invalid group graph "clicks": callback for topic "a" already exists. ' +
        'It is illegal to consume a topic twice (declare one input per topic and branch inside its callback)',
    );
  });

  it('duplicates through inputs, within and across edges', () => {
    expect(thrownBy(() => defineGroup('g', inputs(['a', 'b', 'a'], c, cb))).topic).toBe('a');
    expect(thrownBy(() => defineGroup('g', input('b', c, cb), inputs(['a', 'b'], c, cb))).topic).toBe('b');
  });

  it('the loop does not take part in the duplicate check (validate reports the loop topic instead)', () => {
    const g = defineGroup('g', loop(c, cb), input('g-loop', c, cb));
    expect(g.validationError()?.rule).toBe('uses-loop-stream');
  });

  it('an empty input topic, also inside inputs', () => {
    const error = thrownBy(() => defineGroup('g', input('', c, cb)));
    expect(error.rule).toBe('empty-input-topic');
    expect(error.group).toBe('g');
    expect(error.message).toBe('invalid group graph "g": input topic cannot be empty. This will not work.');
    expect(thrownBy(() => defineGroup('g', inputs(['a', ''], c, cb))).rule).toBe('empty-input-topic');
  });

  it('something that is not an edge (untyped callers)', () => {
    const bogus = [undefined, null, 'input', { kind: 'stream', topic: 'x' }] as unknown as Edge[];
    for (const value of bogus) {
      const error = thrownBy(() => defineGroup('g', input('a', c, cb), value));
      expect(error.rule).toBe('invalid-edge');
      expect(error.message).toContain('edge #1 is not a graph edge');
    }
    expect(thrownBy(() => defineGroup('g', undefined as unknown as Edge)).message).toBe(
      'invalid group graph "g": edge #0 is not a graph edge (got undefined); ' +
        'build edges with input(), inputs(), join(), lookup(), loop(), output(), persist() or visitor()',
    );
  });
});

describe('defineGroup: naming', () => {
  it('default suffixes -table and -loop', () => {
    const g = defineGroup('clicks', input('a', c, cb), loop(c, cb), persist(codecs.int64));
    expect(g.definition).toEqual({ group: 'clicks', tableSuffix: '-table', loopSuffix: '-loop' });
    expect([g.tableTopic, g.loopTopic]).toEqual(['clicks-table', 'clicks-loop']);
    expect(g.groupTable()?.topic).toBe('clicks-table');
    expect(g.loopStream()?.topic).toBe('clicks-loop');
    expect(String(g.groupTable())).toBe('clicks-table/int64');
    expect(String(g.loopStream())).toBe('clicks-loop/string');
  });

  it('two graphs with different suffixes coexist in one process', () => {
    const a = defineGroup({ group: 'g', tableSuffix: '-state', loopSuffix: '-again' }, input('x', c, cb), loop(c, cb), persist(c));
    const b = defineGroup('g', input('x', c, cb), loop(c, cb), persist(c));
    const partial = defineGroup({ group: 'g', loopSuffix: '.l' }, input('x', c, cb), loop(c, cb), persist(c));
    expect([a.tableTopic, a.loopTopic, a.groupTable()?.topic, a.loopStream()?.topic]).toEqual([
      'g-state', 'g-again', 'g-state', 'g-again',
    ]);
    expect([b.tableTopic, b.loopTopic, b.groupTable()?.topic, b.loopStream()?.topic]).toEqual([
      'g-table', 'g-loop', 'g-table', 'g-loop',
    ]);
    expect([partial.tableTopic, partial.loopTopic]).toEqual(['g-table', 'g.l']);
    expect(a.codec('g-state')).toBe(c);
    expect(a.codec('g-table')).toBeUndefined();
    expect(a.callback('g-again')).toBe(cb);
  });

  it('loop and persist edges are bound to copies; the originals stay unbound and reusable', () => {
    const l = loop(c, cb);
    const p = persist(c);
    const g1 = defineGroup('one', input('x', c, cb), l, p);
    const g2 = defineGroup('two', input('x', c, cb), l, p);
    expect([l.topic, p.topic]).toEqual(['', '']);
    expect(g1.loopStream()?.topic).toBe('one-loop');
    expect(g2.loopStream()?.topic).toBe('two-loop');
    expect(g2.groupTable()?.topic).toBe('two-table');
    expect(g1.loopStream()?.callback).toBe(cb);
  });

  it('allEdges with the definition rebuilds the graph; with another group it re-binds', () => {
    const g = defineGroup(
      { group: 'g', tableSuffix: '-t' },
      visitor('v', cb), persist(c), loop(c, cb), output('o', c), input('i', c, cb), lookup('l', c), join('j', c),
    );
    const kinds = g.allEdges().map((e) => e.kind);
    expect(kinds).toEqual(['join', 'lookup', 'input', 'output', 'loop', 'persist', 'visitor']);
    const same = defineGroup(g.definition, ...g.allEdges());
    expect(same.allEdges()).toEqual(g.allEdges());
    expect(same.groupTable()).toBe(g.groupTable());
    const other = defineGroup('h', ...g.allEdges());
    expect([other.groupTable()?.topic, other.loopStream()?.topic]).toEqual(['h-table', 'h-loop']);
  });

  it('new GroupGraph(definition, edges) is defineGroup with an array', () => {
    const g = new GroupGraph('g', [input('i', c, cb)]);
    expect(g.inputStreams()).toHaveLength(1);
    expect(g).toBeInstanceOf(GroupGraph);
    expect(defineGroup('g')).toBeInstanceOf(GroupGraph);
  });
});

describe('GroupGraph accessors', () => {
  const joinCodec = codecs.int64;
  const g = defineGroup(
    'g',
    input('i1', c, cb),
    input('i2', codecs.bytes, cb),
    join('j', joinCodec),
    lookup('l', codecs.bigint64),
    output('o', codecs.json<{ n: number }>()),
    loop(codecs.int64, loopCb),
    persist(c),
    visitor('reset', visitCb),
  );

  it('codec by topic covers inputs, joins, lookups, outputs, loop and table', () => {
    expect(g.codec('i1')).toBe(c);
    expect(g.codec('i2')).toBe(codecs.bytes);
    expect(g.codec('j')).toBe(joinCodec);
    expect(g.codec('l')).toBe(codecs.bigint64);
    expect(g.codec('o')?.name).toBe('json');
    expect(g.codec('g-loop')).toBe(codecs.int64);
    expect(g.codec('g-table')).toBe(c);
    expect(g.codec('reset')).toBeUndefined();
    expect(g.codec('unknown')).toBeUndefined();
  });

  it('a later edge for the same topic overwrites the codec (Goka, no conflict check)', () => {
    const h = defineGroup('h', input('t', c, cb), output('t', codecs.int64));
    expect(h.codec('t')).toBe(codecs.int64);
    expect(h.callback('t')).toBe(cb);
  });

  it('callback by topic covers inputs and the loop; visitors by name', () => {
    expect(g.callback('i1')).toBe(cb);
    expect(g.callback('g-loop')).toBe(loopCb);
    expect(g.callback('j')).toBeUndefined();
    expect(g.callback('reset')).toBeUndefined();
    expect(g.visitorCallback('reset')).toBe(visitCb);
    expect(g.visitorCallback('nope')).toBeUndefined();
    expect(g.visitors().map((v) => v.name)).toEqual(['reset']);
  });

  it('isOutput, isJoined, isLookup', () => {
    expect([g.isOutput('o'), g.isOutput('i1'), g.isOutput('g-loop')]).toEqual([true, false, false]);
    expect([g.isJoined('j'), g.isJoined('l'), g.isJoined('i1')]).toEqual([true, false, false]);
    expect([g.isLookup('l'), g.isLookup('j')]).toEqual([true, false]);
  });

  it('copartitioned: inputs, joins, loop, table (not lookups or outputs)', () => {
    expect(g.copartitioned().map((e) => `${e.kind}:${e.topic}`)).toEqual([
      'input:i1', 'input:i2', 'join:j', 'loop:g-loop', 'persist:g-table',
    ]);
    expect(g.copartitionedTopics()).toEqual(['i1', 'i2', 'j', 'g-loop', 'g-table']);
    const stateless = defineGroup('s', input('a', c, cb), join('a', c), lookup('l', c));
    expect(stateless.copartitioned().map((e) => e.kind)).toEqual(['input', 'join']);
    expect(stateless.copartitionedTopics()).toEqual(['a']);
  });

  it('the graph, its lists and its edges are frozen', () => {
    expect(Object.isFrozen(g)).toBe(true);
    for (const list of [g.inputStreams(), g.jointTables(), g.lookupTables(), g.outputStreams(), g.visitors(), g.allEdges(), g.copartitioned()]) {
      expect(Object.isFrozen(list)).toBe(true);
    }
    for (const edge of g.allEdges()) expect(Object.isFrozen(edge)).toBe(true);
    expect(Object.isFrozen(g.definition)).toBe(true);
    expect(() => {
      (g.inputStreams() as unknown as unknown[]).push(1);
    }).toThrow(TypeError);
  });
});

describe('defineGroup: the strict form’s builder', () => {
  it('adds callback edges to a new graph, leaving the first one unchanged', () => {
    const base = defineGroup('g', persist(codecs.int64), output('out', c));
    const built = base.loop(c, loopCb).input('a', c, cb).inputs(['b', 'c'], c, shared).visitor('v', visitCb);
    expect(base.inputStreams()).toEqual([]);
    expect(built).toBeInstanceOf(GroupGraph);
    expect(Object.isFrozen(base) && Object.isFrozen(built)).toBe(true);
    expect(built.inputStreams().map((e) => e.topic)).toEqual(['a', 'b', 'c']);
    expect(built.loopStream()?.topic).toBe('g-loop');
    expect(built.groupTable()?.topic).toBe('g-table');
    expect(built.visitorCallback('v')).toBe(visitCb);
    expect(built.isOutput('out')).toBe(true);
    expect(() => built.validate()).not.toThrow();
    expect(built.allEdges().map(String)).toEqual(defineGroup('g', persist(codecs.int64), output('out', c), loop(c, loopCb), input('a', c, cb), inputs(['b', 'c'], c, shared), visitor('v', visitCb)).allEdges().map(String));
  });

  it('keeps the group definition and throws like defineGroup', () => {
    const base = defineGroup({ group: 'g', tableSuffix: '-state' }, persist(codecs.int64));
    expect(base.input('a', c, cb).groupTable()?.topic).toBe('g-state');
    expect(thrownBy(() => base.input('a', c, cb).input('a', c, cb)).rule).toBe('duplicate-input');
  });
});
