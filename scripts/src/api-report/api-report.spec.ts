import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../kafka/layout.js';
import { apiEntries, computeApiNames, diffReport, entryName, formatReport, reportPath } from './api-report.js';

/**
 * Every entry point of every published package exports exactly the names of its committed report
 * (`packages/<pkg>/api/<entry>.api.txt`): adding or removing an export is a reviewed change of that file.
 */
const root = findRepoRoot();
const entries = apiEntries(root);
const computed = computeApiNames(entries, join(root, 'tsconfig.base.json'));
const UPDATE = 'pnpm api:update';

describe('API report', () => {
  it('covers the entry points of every published package', () => {
    const names = entries.map((entry) => reportPath(root, entry));
    expect(names).toContain('packages/core/api/index.api.txt');
    expect(names).toContain('packages/core/api/kafka.api.txt');
    expect(names).toContain('packages/core/api/storage.api.txt');
    expect(names).toContain('packages/nestjs/api/index.api.txt');
  });

  for (const entry of entries) {
    const file = reportPath(root, entry);
    const names = computed.get(entry);

    it(`${file} lists what the entry exports`, () => {
      if (names === undefined) throw new Error(`no names computed for ${file}`);
      const committed = existsSync(entry.reportFile) ? readFileSync(entry.reportFile, 'utf8') : '';
      const changes = diffReport(committed, formatReport(entry, names));
      if (changes.length > 0) {
        throw new Error(
          `The exports of ${entryName(entry)} differ from ${file} (+ exported, not listed; - listed, not exported):\n` +
            `  ${changes.join('\n  ')}\nIf the change is intended, update the report with \`${UPDATE}\` and commit it.`,
        );
      }
    });

    it(`${file}: the runtime values are the values of the report`, async () => {
      const module = (await import(pathToFileURL(entry.source).href)) as Record<string, unknown>;
      expect(Object.keys(module).sort()).toEqual(names?.values);
    });
  }
});
