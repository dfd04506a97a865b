import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lostCacheRace, TerraformCli } from './terraform-cli';

/** What Terraform 1.11 printed when two inits wrote one plugin cache entry at once (seen in CI). */
const RACE = 'Error: Failed to install provider\n\nError while installing hashicorp/aws v5.100.0: failed to create directory\n/root/.cache/tenancy/terraform-plugins/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64:\nmkdir\n/root/.cache/tenancy/terraform-plugins/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64:\nfile exists';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tenancy-terraform-cli-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in `terraform` that prints `failures` in turn, failing, then succeeds; it counts its runs. */
function fakeTerraform(failures: readonly string[]): { cli: TerraformCli; runs: () => number } {
  const bin = join(dir, 'terraform');
  failures.forEach((text, i) => writeFileSync(join(dir, `failure-${i + 1}`), text));
  writeFileSync(bin, `#!/bin/sh\nn=$(($(cat "${dir}/runs" 2>/dev/null || echo 0) + 1))\necho $n > "${dir}/runs"\nif [ -f "${dir}/failure-$n" ]; then cat "${dir}/failure-$n" >&2; exit 1; fi\necho initialized\n`);
  chmodSync(bin, 0o755);
  return { cli: new TerraformCli(bin, join(dir, 'terraform.rc')), runs: () => Number(readFileSync(join(dir, 'runs'), 'utf8')) };
}

describe('terraform init and the shared plugin cache', () => {
  it('recognizes the race of two inits on one cache entry, and nothing else', () => {
    expect(lostCacheRace(RACE)).toBe(true);
    expect(lostCacheRace('Error: Failed to install provider\n\nthe provider is not in the mirror')).toBe(false);
    expect(lostCacheRace('mkdir /x: file exists')).toBe(false);
  });

  it('runs an init that lost the race again, and returns its result', async () => {
    const { cli, runs } = fakeTerraform([RACE, RACE]);
    const result = await cli.init(dir, { backend: false });
    expect([result.code, result.stdout.trim(), runs()]).toEqual([0, 'initialized', 3]);
  });

  it('returns any other failure at once, and gives up on the race after three more tries', async () => {
    const other = fakeTerraform(['Error: Invalid backend configuration']);
    expect((await other.cli.init(dir, { backend: true })).code).toBe(1);
    expect(other.runs()).toBe(1);
    rmSync(join(dir, 'runs'));
    const stuck = fakeTerraform([RACE, RACE, RACE, RACE, RACE]);
    const result = await stuck.cli.init(dir, { backend: false });
    expect([result.code, stuck.runs()]).toEqual([1, 4]);
  });
});
