import { describe, expect, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { GokaError } from '../errors/goka-error.js';
import { GraphValidationError } from '../errors/graph-validation-error.js';
import { defineGroup } from './define-group.js';
import type { Edge } from './edge.js';
import { input, join, lookup, loop, output, persist, visitor } from './edges.js';
import type { GroupGraph } from './group-graph.js';

const c = codecs.string;
const cb = (): void => {};
const anInput = input('in', c, cb);

function violation(graph: GroupGraph): GraphValidationError {
  const error = graph.validationError();
  if (error === undefined) throw new Error('expected a violation');
  return error;
}

function thrown(graph: GroupGraph): unknown {
  try {
    graph.validate();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('GroupGraph.validate / validationError', () => {
  it('a valid graph: validate() returns, validationError() is undefined', () => {
    const g = defineGroup('g', anInput, loop(c, cb), persist(c), join('j', c), lookup('l', c), output('o', c), visitor('v', cb));
    expect(() => g.validate()).not.toThrow();
    expect(g.validationError()).toBeUndefined();
  });

  it('validate() throws the same error validationError() returns, a GokaError', () => {
    const g = defineGroup('g');
    const error = thrown(g);
    expect(error).toBeInstanceOf(GraphValidationError);
    expect(error).toBeInstanceOf(GokaError);
    expect((error as GraphValidationError).name).toBe('GraphValidationError');
    expect((error as GraphValidationError).message).toBe(violation(g).message);
    expect((error as GraphValidationError).retriable).toBe(false);
  });

  it('empty group name (ours; Goka does not check)', () => {
    const error = violation(defineGroup('', anInput));
    expect(error.rule).toBe('empty-group');
    expect(error.group).toBe('');
    expect(error.message).toBe(
      'invalid group graph "": the group name cannot be empty (it names the consumer group, the group table and the loop stream)',
    );
  });

  it('rule 1: more than one loop', () => {
    const error = violation(defineGroup('g', anInput, loop(c, cb), loop(c, cb)));
    expect(error.rule).toBe('multiple-loops');
    expect([error.group, error.topic, error.edge]).toEqual(['g', 'g-loop', undefined]);
    expect(error.message).toBe(
      'invalid group graph "g": more than one loop stream in group graph (2 loop edges; declare loop() at most once)',
    );
  });

  it('rule 2: more than one persist', () => {
    const error = violation(defineGroup('g', anInput, persist(c), persist(codecs.int64), persist(c)));
    expect(error.rule).toBe('multiple-tables');
    expect(error.topic).toBe('g-table');
    expect(error.message).toBe(
      'invalid group graph "g": more than one group table in group graph (3 persist edges; declare persist() at most once)',
    );
  });

  it('rule 3: no input stream; a loop alone does not count', () => {
    const error = violation(defineGroup('g', loop(c, cb), persist(c)));
    expect(error.rule).toBe('no-input');
    expect(error.message).toBe(
      'invalid group graph "g": no input stream in group graph ' +
        '(declare at least one input(topic, codec, callback); a loop alone does not count)',
    );
  });

  it('rule 4: output/input/join/lookup on the loop topic', () => {
    for (const edge of [output('g-loop', c), input('g-loop', c, cb), join('g-loop', c), lookup('g-loop', c)]) {
      const error = violation(defineGroup('g', anInput, edge));
      expect(error.rule).toBe('uses-loop-stream');
      expect([error.group, error.topic, error.edge]).toEqual(['g', 'g-loop', 'g-loop/string']);
      expect(error.message).toBe(
        `invalid group graph "g": should not directly use loop stream: ${edge.kind} edge "g-loop/string" ` +
          'uses the loop topic "g-loop" (declare loop(codec, callback) and write with ctx.loopback())',
      );
    }
  });

  it('rule 4 applies even without a loop edge', () => {
    expect(violation(defineGroup('g', anInput, output('g-loop', c))).rule).toBe('uses-loop-stream');
  });

  it('rule 5: output/input/join/lookup on the group table', () => {
    for (const edge of [output('g-table', c), input('g-table', c, cb), join('g-table', c), lookup('g-table', c)]) {
      const error = violation(defineGroup('g', anInput, edge, persist(c)));
      expect(error.rule).toBe('uses-group-table');
      expect([error.topic, error.edge]).toEqual(['g-table', 'g-table/string']);
      expect(error.message).toBe(
        `invalid group graph "g": should not directly use group table: ${edge.kind} edge "g-table/string" ` +
          'uses the group table "g-table" (declare persist(codec) and use ctx.value() / ctx.setValue())',
      );
    }
  });

  it('rules 4 and 5 follow the configured suffixes of the graph', () => {
    const def = { group: 'g', tableSuffix: '.state', loopSuffix: '.again' };
    expect(violation(defineGroup(def, anInput, join('g.state', c))).rule).toBe('uses-group-table');
    expect(violation(defineGroup(def, anInput, output('g.again', c))).rule).toBe('uses-loop-stream');
    expect(defineGroup(def, anInput, join('g-table', c), output('g-loop', c)).validationError()).toBeUndefined();
  });

  it('rule 6: visitors without persist', () => {
    const error = violation(defineGroup('g', anInput, visitor('reset', cb)));
    expect(error.rule).toBe('stateless-visitors');
    expect([error.topic, error.edge]).toEqual(['reset', 'visitor reset']);
    expect(error.message).toBe(
      'invalid group graph "g": visitors cannot be used in a stateless processor ' +
        '(visitor "reset" iterates the group table; declare persist(codec))',
    );
    expect(defineGroup('g', anInput, visitor('reset', cb), persist(c)).validationError()).toBeUndefined();
  });

  it('empty output/join/lookup topic or visitor name (ours)', () => {
    const cases: [Edge, string][] = [
      [output('', c), 'output topic cannot be empty'],
      [join('', c), 'join topic cannot be empty'],
      [lookup('', c), 'lookup topic cannot be empty'],
      [visitor('', cb), 'visitor name cannot be empty'],
    ];
    for (const [edge, text] of cases) {
      const error = violation(defineGroup('g', anInput, persist(c), edge));
      expect(error.rule).toBe('empty-topic');
      expect(error.topic).toBe('');
      expect(error.message).toBe(`invalid group graph "g": ${text}`);
    }
  });

  it('equal table and loop suffixes collide when the graph has both (ours)', () => {
    const def = { group: 'g', tableSuffix: '-x', loopSuffix: '-x' };
    const error = violation(defineGroup(def, anInput, loop(c, cb), persist(c)));
    expect(error.rule).toBe('table-loop-conflict');
    expect(error.topic).toBe('g-x');
    expect(error.message).toBe(
      'invalid group graph "g": the group table and the loop stream are both named "g-x" (tableSuffix and loopSuffix must differ)',
    );
    expect(defineGroup(def, anInput, persist(c)).validationError()).toBeUndefined();
  });

  describe("rule order (Goka's, with ours around it)", () => {
    it('empty group comes first', () => {
      expect(violation(defineGroup('', loop(c, cb), loop(c, cb))).rule).toBe('empty-group');
    });

    it('loops before tables before inputs', () => {
      expect(violation(defineGroup('g', loop(c, cb), loop(c, cb), persist(c), persist(c))).rule).toBe('multiple-loops');
      expect(violation(defineGroup('g', persist(c), persist(c))).rule).toBe('multiple-tables');
    });

    it('no input before topic collisions and visitors', () => {
      expect(violation(defineGroup('g', output('g-loop', c), visitor('v', cb))).rule).toBe('no-input');
    });

    it('topic collisions are checked per edge: outputs, then inputs, joins, lookups; loop before table', () => {
      const g = defineGroup('g', join('g-loop', c), input('g-table', c, cb), output('g-table', c));
      const error = violation(g);
      expect(error.rule).toBe('uses-group-table');
      expect(error.edge).toBe('g-table/string');
      expect(error.message).toContain('output edge');
      const g2 = defineGroup('g', input('g-table', c, cb), join('g-loop', c));
      expect(violation(g2).rule).toBe('uses-group-table');
    });

    it('collisions before visitors, visitors before empty topics, empty topics before the suffix conflict', () => {
      expect(violation(defineGroup('g', anInput, visitor('v', cb), join('g-loop', c))).rule).toBe('uses-loop-stream');
      expect(violation(defineGroup('g', anInput, visitor('v', cb), join('', c))).rule).toBe('stateless-visitors');
      const def = { group: 'g', tableSuffix: '-x', loopSuffix: '-x' };
      expect(violation(defineGroup(def, anInput, loop(c, cb), persist(c), output('', c))).rule).toBe('empty-topic');
    });
  });

  it('returns a fresh error each time (stack from the caller)', () => {
    const g = defineGroup('g');
    expect(g.validationError()).not.toBe(g.validationError());
  });
});
