import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyExampleFleet, git, REPO_ROOT } from '@tenancy/model/testing';

const REPO = REPO_ROOT;
const NX = join(REPO, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');

/** A temporary Nx workspace holding the example fleet and this repository's Nx configuration. */
class Workspace {
  private readonly copy = copyExampleFleet({ prefix: 'tenancy-nx-', alsoCopy: ['nx.json', 'package.json', 'tsconfig.base.json'] });
  readonly root = this.copy.root;

  constructor() {
    symlinkSync(join(REPO, 'node_modules'), join(this.root, 'node_modules'));
    writeFileSync(join(this.root, '.gitignore'), '.nx/\n.tenancy/\nnode_modules\n');
    this.git('init', '-q', '-b', 'main');
    this.commit('the example fleet');
    this.initial = this.git('rev-parse', 'HEAD').trim();
  }

  private readonly initial: string;

  /** Back to the example fleet's commit, with nothing else in the folder: no test sees another's edits. */
  reset(): void {
    this.git('reset', '-q', '--hard', this.initial);
    this.git('clean', '-qfdx', '-e', 'node_modules');
  }

  git(...args: string[]): string {
    return git(this.root, args);
  }

  commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
  }

  nx(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [NX, ...args], {
      cwd: this.root, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true', FORCE_COLOR: '0' },
    });
    // Nx coloured its output in CI runs; assertions read the plain text.
    return { status: result.status, stdout: stripVTControlCharacters(result.stdout), stderr: stripVTControlCharacters(result.stderr) };
  }

  projects(...args: string[]): string[] {
    const run = this.nx('show', 'projects', '--json', ...args);
    if (run.status !== 0) throw new Error(run.stderr);
    return (JSON.parse(run.stdout) as string[]).sort();
  }

  dispose(): void {
    this.copy.dispose();
  }
}

describe('the Nx plugin, in a real Nx workspace', () => {
  let workspace: Workspace;
  beforeAll(() => { workspace = new Workspace(); });
  afterEach(() => workspace.reset());
  afterAll(() => workspace.dispose());

  it('infers a project per tenant file, cell and pool', () => {
    const projects = workspace.projects();
    expect(projects.filter((p) => p.startsWith('tenant-'))).toHaveLength(14);
    expect(projects.filter((p) => p.startsWith('cell-'))).toEqual(['cell-blue-1', 'cell-blue-2', 'cell-hosted-1', 'cell-initech']);
    expect(projects.filter((p) => p.startsWith('pool-'))).toEqual(['pool-hosted-shared', 'pool-initech-shared', 'pool-shared-1']);
  });

  it('gives a tenant cached validate and synth targets, uncached plan and apply, and a dependency on its cell', () => {
    const project = JSON.parse(workspace.nx('show', 'project', 'tenant-acme', '--json').stdout) as {
      root: string; targets: Record<string, { cache?: boolean; inputs: unknown[]; outputs?: string[]; options: { command: string } }>;
    };
    expect(project.root).toBe('tenants/acme');
    const graph = join(workspace.root, 'graph.json');
    expect(workspace.nx('graph', `--file=${graph}`).status).toBe(0);
    const dependencies = (JSON.parse(readFileSync(graph, 'utf8')) as { graph: { dependencies: Record<string, { target: string; type: string }[]> } }).graph.dependencies;
    expect(dependencies['tenant-acme']).toEqual([{ source: 'tenant-acme', target: 'cell-blue-1', type: 'implicit' }]);
    expect(dependencies['tenant-hooli']).toEqual([{ source: 'tenant-hooli', target: 'pool-shared-1', type: 'implicit' }]);
    expect(dependencies['tenant-globex']).toEqual([]);
    expect(Object.keys(project.targets).sort()).toEqual(['apply', 'plan', 'synth', 'validate']);
    expect(project.targets.synth).toMatchObject({ cache: true, options: { command: 'tenancy synth --tenant acme --backend local' } });
    expect(project.targets.synth!.outputs).toEqual(['{workspaceRoot}/.tenancy/out/tenant-acme-data', '{workspaceRoot}/.tenancy/out/tenant-acme-compute', '{workspaceRoot}/.tenancy/out/tenant-acme-workload']);
    expect(project.targets.plan).toMatchObject({ cache: false, options: { command: 'tenancy plan --tenant acme' } });
    expect(project.targets.apply).toMatchObject({ cache: false });
    expect(project.targets.validate!.inputs).toEqual(['{workspaceRoot}/tenants/acme.yaml', '{workspaceRoot}/platform.yaml', 'tenancySources']);
  });

  it('after editing one tenant file, affects that tenant only, and runs its targets only', () => {
    workspace.commit('base');
    writeFileSync(join(workspace.root, 'tenants', 'acme.yaml'), readFileSync(join(workspace.root, 'tenants', 'acme.yaml'), 'utf8').replace('replicas: 3', 'replicas: 4'));
    workspace.commit('more acme replicas');
    expect(workspace.projects('--affected', '--base=HEAD~1', '--head=HEAD')).toEqual(['tenant-acme']);
    expect(workspace.projects('--affected', '--base=HEAD~1', '--head=HEAD', '-t', 'plan')).toEqual(['tenant-acme']);
    const run = workspace.nx('affected', '-t', 'validate', '--base=HEAD~1', '--head=HEAD', '--output-style=static');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('valid: 14 tenants');
    expect(run.stdout).toMatch(/Successfully ran target validate for project tenant-acme/);
  });

  it('reaches every tenant when platform.yaml changes, as its targets read it', () => {
    workspace.commit('base');
    writeFileSync(join(workspace.root, 'platform.yaml'), readFileSync(join(workspace.root, 'platform.yaml'), 'utf8').replace('version: 2.15.0', 'version: 2.15.1'));
    workspace.commit('fast channel 2.15.1');
    const affected = workspace.projects('--affected', '--base=HEAD~1', '--head=HEAD');
    expect(affected.filter((p) => p.startsWith('tenant-'))).toHaveLength(14);
  });

  it('cannot see a deleted tenant: Nx marks every project affected, so offboarding goes through tenancy changes and plan', () => {
    workspace.commit('base');
    rmSync(join(workspace.root, 'tenants', 'wonka.yaml'));
    workspace.commit('offboard wonka');
    const affected = workspace.projects('--affected', '--base=HEAD~1', '--head=HEAD');
    expect(affected).not.toContain('tenant-wonka');
    expect(affected.filter((p) => p.startsWith('tenant-'))).toHaveLength(13);
  });

  it('generates a valid tenant in the least-loaded cell of its account that has room', () => {
    const generate = workspace.nx('g', '@tenancy/nx-tenants:tenant', 'newco', '--hosting', 'platform-account', '--deployment', 'multi-tenant', '--email', 'ops@newco.example', '--billingReference', 'INV-9000');
    expect(generate.status, generate.stdout + generate.stderr).toBe(0);
    const text = readFileSync(join(workspace.root, 'tenants', 'newco.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/tenant.schema.json');
    expect(text).toContain('  cell: hosted-1\n');
    const refused = workspace.nx('g', '@tenancy/nx-tenants:tenant', 'other', '--hosting', 'customer-account', '--deployment', 'multi-tenant', '--email', 'a@b.example', '--accountId', '210987654321', '--region', 'us-east-1', '--roleName', 'R', '--externalIdSecret', 's/x');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('no cell of customer-account 210987654321 has room');
  });
});
