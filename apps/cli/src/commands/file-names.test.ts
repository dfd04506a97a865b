import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FleetRepo } from '@tenancy/lifecycle/testing';
import { runCli } from '../testing/run-cli';

vi.setConfig({ testTimeout: 120_000 });

const repos: FleetRepo[] = [];
afterAll(() => { for (const repo of repos) repo.dispose(); });

/** acme's file as another tenant's, for a spelling of its name. */
const acmeAs = (repo: FleetRepo, id: string) => repo.read('tenants/acme.yaml').replace('id: acme', `id: ${JSON.stringify(id)}`).replace(/^displayName: .*$/m, 'displayName: Another');

/** Every command that reads a range, and validate of the checkout: the error lines each prints. */
function errorsOf(repo: FleetRepo): Record<string, string[]> {
  const commands: Record<string, string[]> = {
    validate: ['validate'],
    changes: ['changes', '--base', 'HEAD~1', '--head', 'HEAD'],
    'synth --base --head': ['synth', '--base', 'HEAD~1', '--head', 'HEAD', '--out', join(repo.root, 'range')],
    'plan --base --head': ['plan', '--base', 'HEAD~1', '--head', 'HEAD', '--offline'],
  };
  return Object.fromEntries(Object.entries(commands).map(([name, args]) => {
    const run = runCli(args, { cwd: repo.root });
    return [name, [`exit ${run.status}`, ...run.stderr.split('\n').filter((line) => / error: /.test(line))]];
  }));
}

const SPELLINGS: readonly { name: string; change: (repo: FleetRepo) => void; error: string }[] = [
  { name: 'non-ASCII', change: (r) => r.write('tenants/ü.yaml', acmeAs(r, 'ü')), error: "tenants/ü.yaml:1:1: error: file name 'ü' is not a valid tenant id" },
  { name: 'a quote', change: (r) => r.write('tenants/a"b.yaml', acmeAs(r, 'a"b')), error: '"tenants/a\\"b.yaml":1:1: error: file name \'"a\\"b"\' is not a valid tenant id' },
  { name: 'a backslash', change: (r) => r.write('tenants/x\\acme.yaml', acmeAs(r, 'acme')), error: "tenants/x\\acme.yaml:1:1: error: file name 'x\\acme' is not a valid tenant id" },
  { name: 'a space', change: (r) => r.write('tenants/new co.yaml', acmeAs(r, 'new co')), error: "tenants/new co.yaml:1:1: error: file name 'new co' is not a valid tenant id" },
  { name: 'upper case', change: (r) => r.write('tenants/Acme2.yaml', acmeAs(r, 'Acme2')), error: "tenants/Acme2.yaml:1:1: error: file name 'Acme2' is not a valid tenant id" },
  { name: 'another extension', change: (r) => r.write('tenants/acme2.yml', acmeAs(r, 'acme2')), error: "tenants/acme2.yml:1:1: error: 'acme2.yml' is not named <id>.yaml, so it would be ignored" },
  { name: 'not a tenant file', change: (r) => r.write('tenants/notes.txt', 'who runs what\n'), error: 'tenants/notes.txt:1:1: error: tenants/notes.txt is not a tenant file (<id>.yaml)' },
  { name: 'a symbolic link', change: (r) => symlinkSync('acme.yaml', join(r.root, 'tenants/acme2.yaml')), error: 'tenants/acme2.yaml:1:1: error: tenants/acme2.yaml is a symbolic link' },
  { name: 'a folder', change: (r) => { mkdirSync(join(r.root, 'tenants/eu')); r.write('tenants/eu/acme2.yaml', acmeAs(r, 'acme2')); }, error: 'tenants/eu:1:1: error: tenants/eu is a folder' },
  { name: 'a tenants/ that is a link', change: (r) => { renameSync(join(r.root, 'tenants'), join(r.root, 'fleet')); symlinkSync('fleet', join(r.root, 'tenants')); }, error: 'tenants:1:1: error: tenants is a symbolic link, not a folder' },
  { name: 'UTF-16 without a byte order mark', change: (r) => writeFileSync(join(r.root, 'tenants/acme.yaml'), Buffer.from(r.read('tenants/acme.yaml'), 'utf16le')), error: 'tenants/acme.yaml:1:2: error: byte 0x00 at offset 1: the file is not UTF-8 text (UTF-16 without a byte order mark?)' },
];

describe('file names in tenants/: every command sees what Git holds, and refuses what is not <id>.yaml', () => {
  it.each(SPELLINGS.map((s) => [s.name, s] as const))('%s: validate and every range command give the same error', async (_name, spelling) => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    await repo.commit(spelling.name, spelling.change);
    const errors = errorsOf(repo);
    for (const [command, lines] of Object.entries(errors)) {
      expect(lines[0], `${command}: ${lines.join('\n')}`).toBe('exit 1');
      expect(lines.filter((line) => line.startsWith(`${spelling.error};`)), `${command}: ${lines.join('\n')}`).toHaveLength(1);
    }
  });

  it('a .gitattributes that rewrites tenant files on checkout: refused by validate and by every range command', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    repo.write('.gitattributes', '*.png binary\ntenants/*.yaml working-tree-encoding=UTF-16LE\n');
    // Only the attributes: with them, Git would read the UTF-8 work tree's files as UTF-16 and refuse to add them.
    repo.git('add', '.gitattributes');
    repo.git('commit', '-q', '-m', 're-encode tenant files on checkout');
    // A fresh checkout of acme's file: the work tree now holds UTF-16, the commit UTF-8.
    rmSync(join(repo.root, 'tenants/acme.yaml'));
    repo.git('checkout', '--', 'tenants/acme.yaml');
    const error = ".gitattributes:2:16: error: the working-tree-encoding attribute of 'tenants/*.yaml' rewrites tenants/acme.yaml on checkout, so the work tree would not hold what the commit does";
    for (const [command, lines] of Object.entries(errorsOf(repo))) {
      expect(lines[0], `${command}: ${lines.join('\n')}`).toBe('exit 1');
      expect(lines.filter((line) => line.startsWith(`${error};`)), `${command}: ${lines.join('\n')}`).toHaveLength(1);
    }
    expect(errorsOf(repo).validate!.some((line) => line.startsWith('tenants/acme.yaml:1:2: error: byte 0x00'))).toBe(true);
  });

  it('reads what a range commits, not the work tree: an uncommitted edit changes nothing it checks or synthesizes', async () => {
    const repo = await FleetRepo.create();
    repos.push(repo);
    await repo.commit('stark moves cost center', (r) => r.edit('tenants/stark.yaml', 'tier: basic\n', 'tier: basic\ntags:\n  cost-center: "7100"\n'));
    repo.edit('tenants/stark.yaml', 'cost-center: "7100"', 'cost-center: "7200"\nunknown: key');
    const range = runCli(['synth', '--base', 'HEAD~1', '--head', 'HEAD', '--out', join(repo.root, 'range')], { cwd: repo.root });
    expect(range.status, range.stderr).toBe(0);
    expect(range.stdout).toMatch(/tenant-stark-data/);
    expect(runCli(['validate'], { cwd: repo.root }).status).toBe(1);
  });
});
