// Prints `tests: N passed, M failed` from vitest's JSON report; exits 1 on any failure or a missing report.
import { existsSync, readFileSync } from 'node:fs';

const path = process.argv[2] ?? 'reports/vitest.json';
if (!existsSync(path)) {
  console.log('tests: 0 passed, 0 failed (no report: vitest did not run)');
  process.exit(1);
}
const report = JSON.parse(readFileSync(path, 'utf8'));
const passed = report.numPassedTests ?? 0;
// A file that failed to load has no failed test of its own but fails the run: count it once.
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed'),
).length;
const failed = (report.numFailedTests ?? 0) + brokenFiles;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || report.success === false ? 1 : 0);
