import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { minVersion, satisfies, subset } from 'semver';
import { describe, expect, it, vi } from 'vitest';
import { readWorkflow } from './testing/workflow-rehearsal';
import { REPO } from './testing/run-cli';

// Type-checking the whole workspace takes tens of seconds on two cores.
vi.setConfig({ testTimeout: 180_000 });

const readJson = (path: string) => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as Record<string, unknown>;
const ENGINES = (readJson('package.json').engines as { node: string }).node;
const WORKSPACES = ['.', 'apps/cli', 'libs/model', 'libs/stacks', 'libs/lifecycle', 'libs/github', 'libs/nx-tenants'];

/**
 * Dependencies whose stated engines exclude Node 20 although they run on it. Used by tests only,
 * and the tests that use them run here, on Node 20.
 */
const TESTED_ON_20_DESPITE_ENGINES: Record<string, string> = {
  'kubernetes-models': 'states >=22; the Kubernetes schema checks of every workload stack run it on Node 20',
  '@kubernetes-models/validate': 'states >=22; the Kubernetes schema checks of every workload stack run it on Node 20',
};

/**
 * APIs Node 22 or 24 removed (End-of-Life in Node's deprecation list), each with a use that must
 * be found, so an empty result below means the scan can see them.
 */
const REMOVED_APIS: readonly { readonly code: string; readonly pattern: RegExp; readonly example: string }[] = [
  { code: 'DEP0044..DEP0058 util.is*() (removed in 23)', pattern: /\butil\.is(Array|Boolean|Buffer|Date|Error|Function|Null|NullOrUndefined|Number|Object|Primitive|RegExp|String|Symbol|Undefined)\(/, example: 'util.isArray(x)' },
  { code: 'DEP0059 util.log() (removed in 23)', pattern: /\butil\.log\(/, example: 'util.log("x")' },
  { code: 'DEP0106 crypto.createCipher/createDecipher (removed in 22)', pattern: /\bcreate(Cipher|Decipher)\(/, example: 'crypto.createCipher("aes", key)' },
  { code: 'DEP0064 tls.createSecurePair (removed in 24)', pattern: /\bcreateSecurePair\b/, example: 'tls.createSecurePair()' },
  { code: 'DEP0100 process.assert (removed in 23)', pattern: /\bprocess\.assert\(/, example: 'process.assert(ok)' },
  { code: 'DEP0095..DEP0126 timers.enroll/unenroll/active/_unrefActive (removed in 24)', pattern: /\btimers\.(enroll|unenroll|active|_unrefActive)\(/, example: 'timers.enroll(o, 5)' },
  { code: 'DEP0178 dirent.path (removed in 24; use parentPath)', pattern: /\b(dirent|entry)\.path\b/, example: 'entry.path' },
  { code: 'import assertions (removed in 22; use `with { type: "json" }`)', pattern: /\bimport\b[^;\n]*\bassert\s*\{\s*type:/, example: "import data from './x.json' assert { type: 'json' };" },
  { code: 'DEP0030 SlowBuffer (runtime-deprecated in 22, removed in 25)', pattern: /\bSlowBuffer\b/, example: 'new SlowBuffer(8)' },
  { code: 'DEP0147 fs.rmdir with recursive (removed in 25)', pattern: /\brmdir(Sync)?\([^)]*recursive/, example: 'fs.rmdirSync(dir, { recursive: true })' },
];

/** Every JavaScript and TypeScript file the repository holds but this one, which names the APIs. */
function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '*.ts', '*.mts', '*.js', '*.mjs', '*.cjs'], { cwd: REPO, encoding: 'utf8' }).split('\n')
    .filter((file) => file && file !== 'apps/cli/src/node-runtime.test.ts');
}

describe('the Node runtime', () => {
  it('engines admits Node 20 (these machines) and the LTS the workflows run, and no Node a dependency refuses', () => {
    expect(satisfies(process.versions.node, ENGINES), `this Node ${process.versions.node}`).toBe(true);
    const nodeVersions = new Set(['plan.yml', 'apply.yml', 'reap.yml', 'drift.yml'].map((file) => readWorkflow(file).env!.NODE_VERSION!));
    expect(nodeVersions.size, 'one Node for every workflow').toBe(1);
    const [workflowNode] = nodeVersions;
    expect(Number(workflowNode) % 2 === 0 && Number(workflowNode) >= 22, `${workflowNode} is an LTS line`).toBe(true);
    expect(subset(`^${workflowNode}.0.0`, ENGINES), `Node ${workflowNode} in engines`).toBe(true);

    const refusals: string[] = [];
    for (const workspace of WORKSPACES) {
      const manifest = readJson(join(workspace, 'package.json')) as { dependencies?: object; devDependencies?: object };
      for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
        if (name.startsWith('@tenancy/')) continue;
        const stated = (readJson(join('node_modules', name, 'package.json')).engines as { node?: string } | undefined)?.node;
        if (stated && !subset(ENGINES, stated) && !TESTED_ON_20_DESPITE_ENGINES[name]) refusals.push(`${name} states node ${stated}`);
      }
    }
    expect(refusals).toEqual([]);
  });

  it('type-checks against the API of the oldest Node that engines admits', () => {
    const types = readJson('node_modules/@types/node/package.json').version as string;
    expect(`${minVersion(ENGINES)!.major}.${minVersion(ENGINES)!.minor}`, 'the Node API types are the floor of engines').toBe(types.split('.').slice(0, 2).join('.'));
    const check = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('the type check does refuse an API newer than that Node', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenancy-node-api-'));
    try {
      writeFileSync(join(dir, 'newer.ts'), "import { globSync } from 'node:fs';\nexport const files = globSync('*.ts');\n");
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(REPO, 'tsconfig.base.json'), compilerOptions: { typeRoots: [join(REPO, 'node_modules/@types')], types: ['node'] }, files: ['newer.ts'] }));
      const check = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
      expect(check.stdout).toMatch(/newer\.ts\(1,10\): error TS2305: Module '"node:fs"' has no exported member 'globSync'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses no API that Node 22 or 24 removed', () => {
    for (const api of REMOVED_APIS) expect(api.example, api.code).toMatch(api.pattern);
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(200);
    const uses = files.flatMap((file) => readFileSync(join(REPO, file), 'utf8').split('\n').flatMap((line, index) =>
      REMOVED_APIS.filter((api) => api.pattern.test(line)).map((api) => `${file}:${index + 1}: ${api.code}`)));
    expect(uses).toEqual([]);
  });
});
