import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet, tenantId, writeFleet } from './bench/fleet/generate-fleet';
const n = Number(process.argv[2]);
const root = mkdtempSync(join(tmpdir(), 'mx-'));
writeFleet(root, generateFleet({ tenants: n }));
const git = (...a: string[]) => execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=a', ...a], { cwd: root, encoding: 'utf8' });
git('init', '-q', '-b', 'main'); git('add', '-A'); git('commit', '-qm', 'base');
for (let i = 0; i < n; i++) { const f = join(root, 'tenants', `${tenantId(i)}.yaml`); writeFileSync(f, readFileSync(f, 'utf8').replace('image: ghcr.io/example-saas/api', 'image: ghcr.io/example-saas/api-v2')); }
git('commit', '-qam', 'head');
console.log(root);
