import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileStamp } from './format.js';

/**
 * Writes a bench's JSON report to `out`, or to `bench/results/<name>-<date>.json` under the repository
 * `root`, and logs where it went.
 */
export async function writeJsonResult(
  report: unknown,
  where: { readonly root: string; readonly name: string; readonly date: Date; readonly out: string | undefined },
  log: (line: string) => void,
): Promise<void> {
  const out = where.out ?? join(where.root, 'bench', 'results', `${where.name}-${fileStamp(where.date)}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${relative(process.cwd(), out)}`);
}
