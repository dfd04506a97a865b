import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './testing/run-cli';

/** `.ci/summarize.mjs`, the last line CI reads, on vitest JSON reports made for the purpose. */
describe('the closing line of .ci/run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenancy-ci-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function summarize(report: object, output: string, ci: boolean) {
    writeFileSync(join(dir, 'vitest.json'), JSON.stringify(report));
    writeFileSync(join(dir, 'output.log'), output);
    const env = { ...process.env, CI: ci ? 'true' : '' };
    const run = spawnSync(process.execPath, [join(REPO, '.ci', 'summarize.mjs'), join(dir, 'vitest.json'), join(dir, 'output.log')], { encoding: 'utf8', env });
    return { status: run.status, lines: run.stdout.trim().split('\n') };
  }
  const report = (passed: number, failed: number, skipped: number) => ({ numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: 0, success: failed === 0, testResults: [] });

  it('counts passed, failed and skipped tests, and passes a clean run', () => {
    expect(summarize(report(416, 0, 0), '', true)).toEqual({ status: 0, lines: ['tests: 416 passed, 0 failed, 0 skipped'] });
  });

  it('fails a run with a failure, or with a file that did not load', () => {
    expect(summarize(report(415, 1, 0), '', false)).toEqual({ status: 1, lines: ['tests: 415 passed, 1 failed, 0 skipped'] });
    const broken = { ...report(10, 0, 0), success: false, testResults: [{ status: 'failed', assertionResults: [] }] };
    expect(summarize(broken, '', false)).toEqual({ status: 1, lines: ['tests: 10 passed, 1 failed, 0 skipped'] });
  });

  it('fails a CI run that skipped tests, saying why, and lets a local one pass', () => {
    const output = 'noise\n\n*** SKIPPING the real Terraform tests: no provider mirror found ***\n\n*** SKIPPING the real Terraform tests: no provider mirror found ***\n';
    expect(summarize(report(400, 0, 16), output, true)).toEqual({
      status: 1,
      lines: ['CI=true and 16 tests were skipped, which fails the run:', '  *** SKIPPING the real Terraform tests: no provider mirror found ***', 'tests: 400 passed, 0 failed, 16 skipped'],
    });
    expect(summarize(report(400, 0, 16), output, false)).toEqual({ status: 0, lines: ['tests: 400 passed, 0 failed, 16 skipped'] });
  });
});
