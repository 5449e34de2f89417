import { codecs } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { describe, expect, it } from 'vitest';
import { createGroupGraph, createGroupGraphs } from './group-graph.factory.js';
import { ProcessorDefinitionError } from './errors/index.js';
import type { ProcessorDefinition } from './interfaces/processor-definition.interface.js';

class Counter {
  readonly calls: Array<[unknown, string]> = [];
  count(message: unknown, ctx: ProcessContext<number>): void {
    this.calls.push([message, ctx.key]);
  }
  async later(message: unknown): Promise<string> {
    await Promise.resolve();
    this.calls.push([message, 'later']);
    return 'ignored';
  }
}

function definition(overrides: Partial<ProcessorDefinition> = {}): ProcessorDefinition {
  return {
    group: 'counter',
    className: 'Counter',
    instance: new Counter(),
    options: {},
    edges: [{ kind: 'persist', codec: codecs.int64 }],
    handlers: [{ methodName: 'count', metadata: { kind: 'input', topics: ['clicks'], codec: codecs.string } }],
    ...overrides,
  };
}

const ctx = (key: string): ProcessContext<unknown> => ({ key }) as ProcessContext<unknown>;

describe('createGroupGraph', () => {
  it('builds the core graph of a definition with the module’s suffixes, a processor’s own winning', () => {
    const graph = createGroupGraph(
      definition({
        edges: [
          { kind: 'persist', codec: codecs.int64 },
          { kind: 'join', topic: 'profiles-table', codec: codecs.string },
          { kind: 'lookup', topic: 'countries-table', codec: codecs.string },
          { kind: 'output', topic: 'alerts', codec: codecs.string },
        ],
        handlers: [
          { methodName: 'count', metadata: { kind: 'input', topics: ['clicks'], codec: codecs.string } },
          { methodName: 'count', metadata: { kind: 'input', topics: ['views', 'likes'], codec: codecs.string } },
          { methodName: 'later', metadata: { kind: 'loop', codec: codecs.string } },
          { methodName: 'count', metadata: { kind: 'visitor', name: 'reset' } },
        ],
      }),
      { tableSuffix: '-state' },
    );
    expect(graph.group).toBe('counter');
    expect(graph.tableTopic).toBe('counter-state');
    expect(graph.loopTopic).toBe('counter-loop');
    expect(graph.inputStreams().map((edge) => edge.topic)).toEqual(['clicks', 'views', 'likes']);
    expect(graph.jointTables().map(String)).toEqual(['profiles-table/string']);
    expect(graph.lookupTables().map((edge) => edge.topic)).toEqual(['countries-table']);
    expect(graph.isOutput('alerts')).toBe(true);
    expect(graph.visitors().map((edge) => edge.name)).toEqual(['reset']);

    const own = createGroupGraph(definition({ options: { tableSuffix: '-own' } }), { tableSuffix: '-state' });
    expect(own.tableTopic).toBe('counter-own');
  });

  it('calls the method with (message, ctx) and hands its promise to the worker', async () => {
    const def = definition({
      handlers: [
        { methodName: 'count', metadata: { kind: 'input', topics: ['clicks'], codec: codecs.string } },
        { methodName: 'later', metadata: { kind: 'input', topics: ['slow'], codec: codecs.string } },
      ],
    });
    const graph = createGroupGraph(def);
    expect(graph.callback('clicks')?.(ctx('a'), 'hello')).toBeUndefined();
    const pending = graph.callback('slow')?.(ctx('b'), 'world');
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toBeUndefined();
    expect((def.instance as Counter).calls).toEqual([
      ['hello', 'a'],
      ['world', 'later'],
    ]);
  });

  it('names class and topic for an empty input topic', () => {
    expect(() =>
      createGroupGraph(
        definition({ handlers: [{ methodName: 'count', metadata: { kind: 'input', topics: [''], codec: codecs.string } }] }),
      ),
    ).toThrow(/Counter\.count: @Input needs a non-empty topic name/);
  });

  it('names the methods of two loops and of two visitors of one name', () => {
    const loops = definition({
      handlers: [
        { methodName: 'count', metadata: { kind: 'input', topics: ['clicks'], codec: codecs.string } },
        { methodName: 'count', metadata: { kind: 'loop', codec: codecs.string } },
        { methodName: 'later', metadata: { kind: 'loop', codec: codecs.string } },
      ],
    });
    expect(() => createGroupGraph(loops)).toThrow(expect.objectContaining({ rule: 'duplicate-loop', methodNames: ['count', 'later'] }));
    const visitors = definition({
      handlers: [
        { methodName: 'count', metadata: { kind: 'input', topics: ['clicks'], codec: codecs.string } },
        { methodName: 'count', metadata: { kind: 'visitor', name: 'reset' } },
        { methodName: 'later', metadata: { kind: 'visitor', name: 'reset' } },
      ],
    });
    expect(() => createGroupGraph(visitors)).toThrow(/two @Visitor\("reset"\) methods: Counter\.count and Counter\.later/);
  });

  it('wraps Goka’s own graph rules in a ProcessorDefinitionError naming the class', () => {
    const onLoop = definition({
      handlers: [{ methodName: 'count', metadata: { kind: 'input', topics: ['counter-loop'], codec: codecs.string } }],
    });
    let caught: unknown;
    try {
      createGroupGraph(onLoop);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProcessorDefinitionError);
    expect(caught).toMatchObject({ rule: 'invalid-graph', className: 'Counter', methodNames: ['count'], topic: 'counter-loop' });
    expect((caught as Error).cause).toMatchObject({ name: 'GraphValidationError', rule: 'uses-loop-stream' });
  });

  it('refuses a codec that is not a codec at start-up, naming the class and the method', () => {
    const factory = codecs.json as unknown as typeof codecs.string;
    const onInput = definition({ handlers: [{ methodName: 'count', metadata: { kind: 'input', topics: ['clicks'], codec: factory } }] });
    expect(() => createGroupGraph(onInput)).toThrow(
      expect.objectContaining({ name: 'ProcessorDefinitionError', rule: 'invalid-graph', methodNames: ['count'] }),
    );
    expect(() => createGroupGraph(onInput)).toThrow(/input\("clicks"\): the codec is not a Codec .*codecs\.json\(\) rather than codecs\.json.* \(Counter\.count\)$/);
    const onTable = definition({ edges: [{ kind: 'persist', codec: undefined as unknown as typeof codecs.int64 }] });
    expect(() => createGroupGraph(onTable)).toThrow(expect.objectContaining({ rule: 'invalid-graph', className: 'Counter' }));
    expect(() => createGroupGraph(onTable)).toThrow(/persist\(\): the codec is not a Codec .*got undefined/);
  });
});

describe('createGroupGraphs', () => {
  it('rejects two definitions of one group', () => {
    const twice = (): unknown => createGroupGraphs([definition(), definition({ className: 'OtherCounter' })]);
    expect(twice).toThrow(ProcessorDefinitionError);
    expect(twice).toThrow(expect.objectContaining({ rule: 'duplicate-processor' }));
  });

  it('builds one graph per definition', () => {
    const graphs = createGroupGraphs([definition(), definition({ group: 'other' })]);
    expect(graphs.map(({ graph }) => graph.group)).toEqual(['counter', 'other']);
  });
});
