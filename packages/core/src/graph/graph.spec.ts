/**
 * Port of Goka's graph_test.go (TestGroupGraph_Validate, _chainEdges, _codec, _callback, _getters,
 * _Inputs, _UpdateSuffixes, TestStringsToStreams).
 */
import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { defineGroup } from './define-group.js';
import { input, inputs, join, lookup, loop, output, persist } from './edges.js';
import { loopName, tableName } from './names.js';

const c = codecs.string;
const cb = (): void => {};

function validationMessage(graph: ReturnType<typeof defineGroup>): string {
  return graph.validationError()?.message ?? '';
}

describe('graph_test.go: TestGroupGraph_Validate', () => {
  it('no input', () => {
    expect(validationMessage(defineGroup('group'))).toContain('no input');
  });

  it('a single input is valid', () => {
    expect(defineGroup('group', input('input-topic', c, cb)).validationError()).toBeUndefined();
  });

  it('more than one loop', () => {
    const g = defineGroup('group', input('input-topic', c, cb), loop(c, cb), loop(c, cb));
    expect(validationMessage(g)).toContain('more than one loop');
  });

  it('more than one group table', () => {
    const g = defineGroup('group', input('input-topic', c, cb), persist(c), persist(c));
    expect(validationMessage(g)).toContain('more than one group table');
  });

  it('input on the group table', () => {
    const g = defineGroup('group', input(tableName('group'), c, cb), persist(c));
    expect(validationMessage(g)).toContain('group table');
  });

  it('input on the loop stream', () => {
    const g = defineGroup('group', input(loopName('group'), c, cb), loop(c, cb));
    expect(validationMessage(g)).toContain('loop stream');
  });

  it('join on the loop stream', () => {
    const g = defineGroup('group', input('input-topic', c, cb), join(loopName('group'), c));
    expect(validationMessage(g)).toContain('loop stream');
  });

  it('output on the loop stream', () => {
    const g = defineGroup('group', input('input-topic', c, cb), output(loopName('group'), c));
    expect(validationMessage(g)).toContain('loop stream');
  });

  it('lookup on the loop stream', () => {
    const g = defineGroup('group', input('input-topic', c, cb), lookup(loopName('group'), c));
    expect(validationMessage(g)).toContain('loop stream');
  });
});

describe('graph_test.go: TestGroupGraph_chainEdges (allEdges)', () => {
  it('an empty graph has no edges', () => {
    expect(defineGroup('group').allEdges()).toEqual([]);
  });

  it('chains edges in Goka order: joins, lookups, inputs, outputs, loop, table, visitors', () => {
    const a = join('a', c);
    const a2 = join('a', c);
    const b = join('b', c);
    const g = defineGroup('group', a, a2, b);
    expect(g.allEdges()).toEqual([a, a2, b]);
    expect(g.allEdges()[0]).toBe(a);
  });
});

describe('graph_test.go: TestGroupGraph_codec', () => {
  it('input and inputs topics map to their codec', () => {
    const g = defineGroup('group', input('input-topic', c, cb), inputs(['input-topic2', 'input-topic3'], c, cb));
    for (const topic of ['input-topic', 'input-topic2', 'input-topic3']) expect(g.codec(topic)).toBe(c);
  });
});

describe('graph_test.go: TestGroupGraph_callback', () => {
  it('input and inputs topics map to their callback', () => {
    const g = defineGroup('group', input('input-topic', c, cb), inputs(['input-topic2', 'input-topic3'], c, cb));
    for (const topic of ['input-topic', 'input-topic2', 'input-topic3']) expect(g.callback(topic)).toBe(cb);
  });
});

describe('graph_test.go: TestGroupGraph_getters', () => {
  it('inputs (with inputs flattened), outputs, no loop', () => {
    const g = defineGroup(
      'group',
      input('t1', c, cb),
      input('t2', c, cb),
      output('t3', c),
      output('t4', c),
      output('t5', c),
      inputs(['t6', 't7'], c, cb),
    );
    expect(g.group).toBe('group');
    expect(g.inputStreams()).toHaveLength(4);
    expect(g.outputStreams()).toHaveLength(3);
    expect(g.loopStream()).toBeUndefined();
  });

  it('with a loop: no group table, loop bound to <group>-loop', () => {
    const g = defineGroup(
      'group',
      input('t1', c, cb),
      input('t2', c, cb),
      output('t3', c),
      output('t4', c),
      output('t5', c),
      loop(c, cb),
    );
    expect(g.inputStreams()).toHaveLength(2);
    expect(g.outputStreams()).toHaveLength(3);
    expect(g.groupTable()).toBeUndefined();
    expect(g.loopStream()?.topic).toBe(loopName('group'));
  });

  it('with joins, lookups and persist', () => {
    const g = defineGroup(
      'group',
      input('t1', c, cb),
      input('t2', c, cb),
      output('t3', c),
      output('t4', c),
      output('t5', c),
      loop(c, cb),
      join('a1', c),
      join('a2', c),
      join('a3', c),
      join('a4', c),
      lookup('b1', c),
      lookup('b2', c),
      persist(c),
    );
    expect(g.inputStreams()).toHaveLength(2);
    expect(g.outputStreams()).toHaveLength(3);
    expect(g.jointTables()).toHaveLength(4);
    expect(g.lookupTables()).toHaveLength(2);
    expect(g.groupTable()?.topic).toBe(tableName('group'));
  });
});

describe('graph_test.go: TestGroupGraph_Inputs', () => {
  it('topic is the comma-joined list, string names the codec', () => {
    const topics = inputs(['a', 'b', 'c'], c, cb);
    expect(topics.topic).toBe('a,b,c');
    expect(String(topics)).toContain('a,b,c/string');
    expect(String(topics)).toBe('input streams: a,b,c/string');
  });
});

describe('graph_test.go: TestGroupGraph_UpdateSuffixes (per graph, no global state)', () => {
  it('custom suffixes apply to one graph; defaults stay untouched', () => {
    const g = defineGroup(
      { group: 'group', loopSuffix: '-loop1', tableSuffix: '-table1' },
      input('input-topic', c, cb),
      persist(c),
      persist(c),
    );
    expect(g.tableTopic).toBe('group-table1');
    expect(g.loopTopic).toBe('group-loop1');
    expect(tableName(g.group, g.definition.tableSuffix)).toBe('group-table1');
    expect(loopName(g.group, g.definition.loopSuffix)).toBe('group-loop1');
    // Goka's ResetSuffixes: nothing to reset, the defaults were never changed.
    expect(tableName(g.group)).toBe('group-table');
    expect(loopName(g.group)).toBe('group-loop');
  });
});

describe('graph_test.go: TestStringsToStreams', () => {
  it('plain string arrays are streams (no conversion helper needed)', () => {
    const inputTopics: string[] = ['input1', 'input2'];
    const g = defineGroup('group', inputs(inputTopics, c, cb));
    expect(g.inputStreams().map((e) => e.topic)).toEqual(['input1', 'input2']);
    expect(g.validationError()).toBeUndefined();
  });
});
