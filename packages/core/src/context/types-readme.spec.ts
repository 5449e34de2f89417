import { readFile } from 'node:fs/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { codecs } from '../codec/codecs.js';
import { defineGroup } from '../graph/define-group.js';
import { join, lookup, output, persist } from '../graph/edges.js';
import type { ContextOf } from '../graph/group-graph.js';
import { MemoryKafka } from '../kafka/memory/memory-kafka.js';
import { Processor } from '../processor/processor.js';

// The block of README.md's "Types" section, with '@goka/core' imported from the sources. Between
// the markers, this file must equal the README's block (checked below), so the README's code compiles.
// README block start
interface User {
  readonly name: string;
}

export const clicks = defineGroup(
  'clicks',
  persist(codecs.int64),
  output('alerts', codecs.string),
  join('users', codecs.json<User>()),
  lookup('limits', codecs.int64),
)
  .loop(codecs.string, (ctx, message) => ctx.emit('alerts', ctx.key, message)) // before the inputs that loop back
  .input('clicks', codecs.string, async (ctx, click) => {
    const count = (ctx.value() ?? 0) + 1; // value(): number | undefined
    ctx.setValue(count); // ctx.setValue(click) does not compile
    const user = ctx.join('users'); // User | undefined; ctx.join<string>('users'), ctx.join('limits') do not compile
    const limit = (await ctx.lookup('limits', click)) ?? Infinity; // number
    if (count > limit) ctx.loopback(ctx.key, `${user?.name ?? ctx.key} over ${limit}`); // loopback takes strings
    // ctx.emit('alerts', ctx.key, count) and ctx.emit('elsewhere', ctx.key, click) do not compile
  });

export type ClicksContext = ContextOf<typeof clicks>; // to type helpers that callbacks pass ctx to
export const processor: Processor<number> = new Processor(clicks, { kafka: new MemoryKafka() }); // get(key): number | undefined
// README block end

describe('README "Types: contexts typed by the codecs"', () => {
  it('shows the code of this file', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split(/^## /m).find((part) => part.startsWith('Types: contexts typed by the codecs\n'));
    const block = /```ts\n([\s\S]*?)```/.exec(section ?? '')?.[1] ?? '';
    const source = await readFile(new URL(import.meta.url), 'utf8');
    const code = /\/\/ README block start\n([\s\S]*?)\/\/ README block end\n/.exec(source)?.[1];
    const imports = block.slice(0, block.indexOf('\n\n') + 2);
    expect(imports).toMatch(/^import .* from '@goka\/core';\nimport type \{ ContextOf \} from '@goka\/core';\n\n$/);
    expect(block.slice(imports.length)).toBe(code);
  });

  it('builds a valid graph whose context is typed', () => {
    expect(() => clicks.validate()).not.toThrow();
    expectTypeOf<ReturnType<ClicksContext['value']>>().toEqualTypeOf<number | undefined>();
    expect(processor.graph).toBe(clicks);
  });
});
