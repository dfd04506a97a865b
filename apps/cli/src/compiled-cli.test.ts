import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generateFleet, writeFleet } from '../../../bench/fleet/generate-fleet';
import { REPO } from './testing/run-cli';

// Builds and synthesizes for real: seconds each, more on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

const BIN = join(REPO, 'apps/cli/bin/tenancy.mjs');
// Inside the checkout, as the real builds are: the bundle imports packages from the repository's node_modules.
mkdirSync(join(REPO, 'apps/cli/dist'), { recursive: true });
const dist = mkdtempSync(join(REPO, 'apps/cli/dist', 'test-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const run = (args: string[]) => new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, TENANCY_CLI_DIST: dist, TENANCY_DEBUG: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
});

/** The specifiers a compiled module imports, statically or dynamically. */
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)"([^"]+)"/g)].map((m) => m[1]!);

describe('the compiled CLI', () => {
  it('several starts at once agree on one build, and the next start reuses it', async () => {
    const first = await Promise.all([run(['--help']), run(['--help']), run(['validate'])]);
    expect(first.map((r) => r.status)).toEqual([0, 0, 0]);
    expect(first[2]!.stdout).toContain('valid: 14 tenants');
    const builds = readdirSync(dist);
    expect(builds).toHaveLength(1);
    const builtAt = statSync(join(dist, builds[0]!)).mtimeMs;
    expect((await run(['--help'])).status).toBe(0);
    expect(readdirSync(dist)).toEqual(builds);
    expect(statSync(join(dist, builds[0]!)).mtimeMs).toBe(builtAt);
  });

  it('synthesizes a big fleet on several threads, writing exactly what one thread writes', async () => {
    const fleet = mkdtempSync(join(tmpdir(), 'tenancy-threads-'));
    try {
      writeFleet(fleet, generateFleet({ tenants: 120 }));
      const one = await run(['synth', '--all', '--threads', '1', '--root', fleet, '--out', join(fleet, 'one')]);
      const two = await run(['synth', '--all', '--threads', '2', '--root', fleet, '--out', join(fleet, 'two')]);
      expect([one.status, two.status]).toEqual([0, 0]);
      expect(one.stdout).toMatch(/\(s3 backend, one thread, [\d.]+ s\)\n$/);
      expect(two.stdout).toMatch(/\(s3 backend, 2 threads, [\d.]+ s\)\n$/);
      const table = (out: string) => out.slice(0, out.lastIndexOf('synthesized'));
      expect(table(two.stdout)).toBe(table(one.stdout));
      const stacks = readdirSync(join(fleet, 'one'));
      expect(stacks.length).toBeGreaterThan(300);
      expect(readdirSync(join(fleet, 'two'))).toEqual(stacks);
      for (const stack of stacks) expect(readFileSync(join(fleet, 'two', stack, 'main.tf.json'), 'utf8'), stack).toBe(readFileSync(join(fleet, 'one', stack, 'main.tf.json'), 'utf8'));
    } finally {
      rmSync(fleet, { recursive: true, force: true });
    }
  });

  it('loads neither cdktf, its providers, nor octokit to validate or print help', async () => {
    expect((await run(['--help'])).status).toBe(0);
    const [build] = readdirSync(dist);
    const root = join(dist, build!);
    const main = join(root, 'main.mjs');
    const chunks = readdirSync(join(root, 'chunks')).map((name) => join(root, 'chunks', name)).filter((f) => f.endsWith('.mjs'));
    const validate = chunks.find((file) => readFileSync(file, 'utf8').includes('async function validateCommand'))!;
    expect(validate).toBeDefined();
    /** Everything loaded before the command runs: static imports only, transitively (dynamic ones are other commands). */
    const staticClosure = (file: string, seen = new Set<string>()): Set<string> => {
      for (const match of readFileSync(file, 'utf8').matchAll(/^import\s[^;]*?from\s*"([^"]+)";|^import\s*"([^"]+)";/gm)) {
        const spec = match[1] ?? match[2]!;
        const key = spec.startsWith('.') ? join(dirname(file), spec) : spec;
        if (seen.has(key)) continue;
        seen.add(key);
        if (spec.startsWith('.')) staticClosure(key, seen);
      }
      return seen;
    };
    const heavy = (loaded: Set<string>) => [...loaded].filter((spec) => /cdktf|octokit|@aws-sdk|nodemailer/.test(spec));
    expect(heavy(staticClosure(main))).toEqual([]);
    expect(heavy(staticClosure(validate))).toEqual([]);
    // The check can fail: the plan command's closure does load them.
    const plan = chunks.find((file) => readFileSync(file, 'utf8').includes('async function planCommand'))!;
    expect(heavy(staticClosure(plan)).length).toBeGreaterThan(0);
    expect(importsOf(main).some((spec) => spec.startsWith('./chunks/'))).toBe(true);
  });
});
