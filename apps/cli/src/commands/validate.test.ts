import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyExampleFleet } from '@tenancy/model/testing';
import { hasStackTrace, REPO, runCli } from '../testing/run-cli';

const FIXTURES = join(REPO, 'libs/model/fixtures/invalid');

describe('tenancy validate', () => {
  it('exits 0 on the example fleet with a one-line summary of counts per combination', () => {
    const run = runCli(['validate']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toContain('valid: 14 tenants in 9 of 9 combinations (provider-account/dedicated 1, provider-account/resource-shared 1, provider-account/multi-tenant 4,');
  });

  it('exits 1 with file:line:column, what is wrong and how to fix it', () => {
    const run = runCli(['validate', join(FIXTURES, 'unknown-cell.yaml')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("libs/model/fixtures/invalid/unknown-cell.yaml:10:9: error: cell 'blue-3' is not defined in platform.yaml; did you mean 'blue-1'?");
    expect(run.stderr).toContain('1 error, 0 warnings in 1 file');
    expect(run.stdout).toBe('');
  });

  it('checks the notice templates with the fleet: a bad placeholder fails at its line, with the fields to use', () => {
    const fleet = copyExampleFleet();
    try {
      writeFileSync(join(fleet.root, 'notifications', 'upgraded.md'), '---\nsubject: "{{displayName}} now runs {{version}}"\n---\nHello\n');
      const run = runCli(['validate', '--root', fleet.root]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('notifications/upgraded.md:2:36: error: {{version}} is not a field of upgraded; use {{tenant}}, {{displayName}}');
    } finally {
      fleet.dispose();
    }
  });

  it('prints machine-readable diagnostics with --format json', () => {
    const run = runCli(['validate', '--format', 'json', join(FIXTURES, 'over-cpu-limit.yaml')]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.valid).toBe(false);
    expect(report.diagnostics).toEqual([{
      file: 'libs/model/fixtures/invalid/over-cpu-limit.yaml', line: 16, column: 10, severity: 'error', code: 'over-container-limit',
      message: "cpu 16 is over the standard tier's limit of 4 per container", hint: 'request at most 4, or move the tenant to a larger tier',
    }]);
  });

  it('never shows a stack trace, whatever the fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).map((f) => join(FIXTURES, f));
    const run = runCli(['validate', ...files]);
    expect(run.status).toBe(1);
    expect(hasStackTrace(run.stderr + run.stdout)).toBe(false);
    expect(run.stderr).toMatch(/^\d+ errors, \d+ warnings in \d+ files$/m);
  });

  it('exits 2 on a usage mistake', () => {
    const unknownOption = runCli(['validate', '--colour']);
    expect(unknownOption.status).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--colour'");
    expect(runCli(['validate', '--format', 'xml']).status).toBe(2);
    expect(runCli(['valdate']).stderr).toContain('Did you mean validate?');
  });

  it('exits 1, not 2, when the root has no platform.yaml', () => {
    const run = runCli(['validate', '--root', FIXTURES]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('platform.yaml:1:1: error: platform.yaml is missing');
  });
});

describe('tenancy schema', () => {
  it('--check passes on the committed schemas and docs', () => {
    const run = runCli(['schema', '--check']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('tenancy start', () => {
  it('validates, synthesizes every stack and says loudly when it cannot plan', () => {
    const { root, dispose } = copyExampleFleet({ prefix: 'tenancy-start-' });
    try {
      const run = runCli(['start', '--root', root], { env: { TENANCY_TERRAFORM: join(root, 'no-terraform') , PATH: '' } });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('validated 14 tenants and platform.yaml');
      expect(run.stdout).toContain(`synthesized 41 stacks into ${join(root, '.tenancy', 'out')} (local backend)`);
      expect(run.stdout).toContain('*** not planning: Terraform is not installed');
      expect(run.stdout).toMatch(/umbrella\s+customer-account\s+dedicated\s+data, compute, workload\s+94\s+-/);
      expect(run.stdout).toMatch(/pool-initech-shared\s+38\s+-/);
    } finally {
      dispose();
    }
  });
});
