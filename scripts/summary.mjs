// Prints Vitest's JSON report as the one closing line CI reads: `N passed, N failed[, N skipped]`.
// Exits 1 when the report is missing or counts a failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.ci/out/vitest.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  process.stderr.write(`summary: no Vitest report at ${file} (${error.message})\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// Suites that fail to load count no tests; count each one as a failure so it cannot pass unseen.
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const line = `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
process.stdout.write(line + '\n');
process.exit(failed > 0 || report.success === false || passed === 0 ? 1 : 0);
