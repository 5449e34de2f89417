#!/usr/bin/env node
/**
 * `pnpm bench:codecs [rounds] [ops]`: what a Schema Registry codec costs per record next to the built-in
 * JSON codec (issue 20; `suite/codecs.ts`). `pnpm bench` runs the same as its `codecs` section.
 */
import { codecLines, codecSuite } from './suite/codecs.js';
import { runMain } from './support/run-main.js';

async function main(args: readonly string[]): Promise<number> {
  const result = await codecSuite(Number(args[0] ?? 7), Number(args[1] ?? 50_000));
  for (const line of codecLines(result)) console.log(line);
  return 0;
}

runMain(main);
