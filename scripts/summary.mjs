// Prints Vitest's JSON report(s) as the one closing line CI reads: `N passed, N failed[, N skipped]`,
// summed over every report named on the command line (default .ci/out/vitest.json).
// Exits 1 when a report is missing or counts a failure.
import { readFileSync } from 'node:fs';

const files = process.argv.length > 2 ? process.argv.slice(2) : ['.ci/out/vitest.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
let success = true;
for (const file of files) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`summary: no Vitest report at ${file} (${error.message})\n`);
    failed += 1;
    success = false;
    continue;
  }
  passed += report.numPassedTests ?? 0;
  // Suites that fail to load count no tests; count each one as a failure so it cannot pass unseen.
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (report.success === false) success = false;
}
// A run that passed nothing (no tests found) is no pass.
if (passed === 0) success = false;
const line = `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
process.stdout.write(line + '\n');
process.exit(failed > 0 || !success ? 1 : 0);
