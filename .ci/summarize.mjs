// Prints `tests: N passed, M failed, K skipped` from vitest's JSON report; exits 1 on any failure,
// a missing report, or (under CI=true) any skipped test: CI installs what the tests need, so a
// skip there means a check did not run. The reasons are the loud `*** ... ***` lines the skipping
// tests print, read from the run's output.
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'reports/vitest.json';
const output = process.argv[3];
if (!existsSync(path)) {
  console.log('tests: 0 passed, 0 failed, 0 skipped (no report: vitest did not run)');
  process.exit(1);
}
const report = JSON.parse(readFileSync(path, 'utf8'));
const passed = report.numPassedTests ?? 0;
// A file that failed to load has no failed test of its own but fails the run: count it once.
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
const skipsFail = process.env.CI === 'true' && skipped > 0;
if (skipsFail) {
  const reasons = output && existsSync(output)
    ? [...new Set(readFileSync(output, 'utf8').split('\n').map((l) => l.trim()).filter((l) => /^\*\*\* .+ \*\*\*$/.test(l)))]
    : [];
  console.log(`CI=true and ${skipped} tests were skipped, which fails the run${reasons.length ? ':' : ' (no reason was printed)'}`);
  for (const reason of reasons) console.log(`  ${reason}`);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || report.success === false || skipsFail ? 1 : 0);
