// Prints Vitest's JSON report(s) as the one closing line CI reads: `N passed, N failed[, N skipped]`,
// summed over every report named on the command line (default .ci/out/vitest.json).
// Exits 1 when a report is missing or counts a failure. Before that line it names every failed test and
// suite with the first lines of its error, so the tail of a CI log says what failed.
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
  for (const suite of report.testResults ?? []) {
    const failures = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    if (suite.status === 'failed' && failures.length === 0) {
      process.stderr.write(`FAILED suite ${suite.name}\n${excerpt(suite.message)}\n`);
    }
    for (const test of failures) {
      process.stderr.write(`FAILED ${suite.name} > ${test.fullName}\n${excerpt(test.failureMessages?.join('\n'))}\n`);
    }
  }
}
// A run that passed nothing (no tests found) is no pass.
if (passed === 0) success = false;
function excerpt(text) {
  return (text ?? '(no message)').split('\n').slice(0, 12).map((line) => `  ${line}`).join('\n');
}
const line = `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
process.stdout.write(line + '\n');
process.exit(failed > 0 || !success ? 1 : 0);
