import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { apiEntries, computeApiNames, formatReport, reportPath } from './api-report.js';
import { findRepoRoot } from '../kafka/layout.js';

/** `pnpm api:update`: rewrites the committed API report of every entry point from the sources. */
const root = findRepoRoot();
const entries = apiEntries(root);
for (const [entry, names] of computeApiNames(entries, join(root, 'tsconfig.base.json'))) {
  mkdirSync(dirname(entry.reportFile), { recursive: true });
  writeFileSync(entry.reportFile, formatReport(entry, names));
  process.stdout.write(`${reportPath(root, entry)}: ${names.values.length} values, ${names.types.length} types\n`);
}
