import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '@tenancy/model/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generateFleet, tenantId, writeFleet } from '../../../../bench/fleet/generate-fleet';
import { runCli } from '../testing/run-cli';

// Fleets of up to 10,000 generated tenants, committed to Git.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

interface Matrix { include: { shard: string; stacks: number; tenants: number }[] }

const roots: string[] = [];
afterAll(() => { for (const root of roots) rmSync(root, { recursive: true, force: true }); });

/** A Git repository of a generated fleet, then a commit that upgrades the image of its first `changed` tenants. */
function fleetWithChange(tenants: number, changed: number): string {
  const root = mkdtempSync(join(tmpdir(), 'tenancy-matrix-'));
  roots.push(root);
  writeFleet(root, generateFleet({ tenants }));
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['add', '-A']);
  git(root, ['commit', '-qm', 'fleet']);
  for (let i = 0; i < changed; i++) {
    const file = join(root, 'tenants', `${tenantId(i)}.yaml`);
    writeFileSync(file, readFileSync(file, 'utf8').replace('image: ghcr.io/example-saas/api\n', 'image: ghcr.io/example-saas/api-v2\n'));
  }
  git(root, ['commit', '-q', '--allow-empty', '-am', 'upgrade']);
  return root;
}

function matrixOf(root: string, ...extra: string[]): { matrix: Matrix; shards: number } {
  const run = runCli(['matrix', '--base', 'HEAD~1', '--head', 'HEAD', ...extra], { cwd: root });
  expect(run.status, run.stderr).toBe(0);
  const lines = Object.fromEntries(run.stdout.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { matrix: JSON.parse(lines.matrix!) as Matrix, shards: Number(lines.shards) };
}

/** Stacks a changed tenant of the generated fleet may plan: data and workload, and compute for every third. */
const stacksOf = (changed: number) => Array.from({ length: changed }, (_, i) => (i % 3 === 2 ? 2 : 3)).reduce((a, b) => a + b, 0);

describe('tenancy matrix', () => {
  it('gives a one-tenant change one small job', () => {
    const { matrix, shards } = matrixOf(fleetWithChange(30, 1));
    expect(shards).toBe(1);
    expect(matrix.include).toEqual([{ shard: '1/1', stacks: 3, tenants: 1 }]);
  });

  it.each([
    [10, 2],
    [1_000, 112],
    [10_000, 256],
  ])('splits %i changed tenants into %i jobs, never over 256, balanced by stacks', (changed, jobs) => {
    const { matrix, shards } = matrixOf(fleetWithChange(changed, changed));
    expect(shards).toBe(jobs);
    expect(matrix.include).toHaveLength(jobs);
    expect(matrix.include.map((j) => j.shard)).toEqual(Array.from({ length: jobs }, (_, i) => `${i + 1}/${jobs}`));
    expect(matrix.include.reduce((sum, j) => sum + j.tenants, 0)).toBe(changed);
    expect(matrix.include.reduce((sum, j) => sum + j.stacks, 0)).toBe(stacksOf(changed));
    const weights = matrix.include.map((j) => j.stacks);
    expect(Math.max(...weights)).toBeLessThanOrEqual(2 * Math.min(...weights));
    expect(Math.max(...weights) - Math.min(...weights)).toBeLessThanOrEqual(3);
  });

  it('caps the jobs where asked, and refuses more than GitHub allows', () => {
    const root = fleetWithChange(200, 200);
    expect(matrixOf(root, '--max-jobs', '4').shards).toBe(4);
    const refused = runCli(['matrix', '--base', 'HEAD~1', '--head', 'HEAD', '--max-jobs', '300'], { cwd: root });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--max-jobs must be from 1 to 256, got 300');
  });

  it('splits the whole fleet for drift with --all', () => {
    const root = fleetWithChange(1_000, 0);
    const { matrix, shards } = matrixOf(root);
    expect(shards).toBe(0);
    expect(matrix.include).toEqual([]);
    const all = runCli(['matrix', '--all'], { cwd: root });
    expect(all.status, all.stderr).toBe(0);
    const drift = JSON.parse(/^matrix=(.*)$/m.exec(all.stdout)![1]!) as Matrix;
    expect(drift.include.reduce((sum, j) => sum + j.tenants, 0)).toBeGreaterThan(1_000);
    expect(drift.include.length).toBeLessThanOrEqual(256);
  });
});
