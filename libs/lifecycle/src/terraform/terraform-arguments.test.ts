import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerraformResultCache } from './result-cache';
import { TerraformCli } from './terraform-cli';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'tenancy-terraform-args-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in `terraform` that logs each run's arguments and the environment Terraform reads, one
 * line each; `show` prints the plan file's text as JSON, and any command fails while `fail` exists.
 */
function recordingTerraform(): { cli: (env?: Record<string, string>, cache?: TerraformResultCache) => TerraformCli; runs: () => string[] } {
  const bin = join(dir, 'terraform');
  writeFileSync(bin, [
    '#!/bin/sh',
    `echo "$* | $TF_CLI_CONFIG_FILE $TF_IN_AUTOMATION $TF_INPUT $CHECKPOINT_DISABLE $GOGC \${EXTRA:-}" >> "${dir}/runs"`,
    `[ -f "${dir}/fail" ] && { echo "Error: it broke" >&2; exit 1; }`,
    'case "$1" in',
    '  validate) echo \'{"valid":false,"diagnostics":[{"severity":"error","summary":"Unsupported argument"}]}\';;',
    '  show) printf \'{"plan":"%s"}\' "$(cat "$4")";;',
    '  providers) echo \'{"provider_schemas":{}}\';;',
    'esac',
  ].join('\n'));
  chmodSync(bin, 0o755);
  return {
    cli: (env = {}, cache) => new TerraformCli(bin, join(dir, 'terraform.rc'), env, cache),
    runs: () => readFileSync(join(dir, 'runs'), 'utf8').trim().split('\n'),
  };
}

describe('what Terraform is run with', () => {
  it('runs every command without prompts, colour or checkpoint calls, with the CLI configuration and GOGC=400 unless set', async () => {
    const { cli, runs } = recordingTerraform();
    const rc = join(dir, 'terraform.rc');
    delete process.env.EXTRA;
    const gogc = process.env.GOGC;
    delete process.env.GOGC;
    try {
      await cli().init(dir, { backend: true });
      await cli().init(dir, { backend: false });
      await cli({ EXTRA: 'from the constructor' }).run(['version'], dir);
      await cli({ EXTRA: 'from the constructor' }).run(['version'], dir, { EXTRA: 'from the call', GOGC: '100' });
    } finally {
      if (gogc !== undefined) process.env.GOGC = gogc;
    }
    expect(runs()).toEqual([
      `init -input=false -no-color -backend=true -reconfigure | ${rc} 1 0 1 400 `,
      `init -input=false -no-color -backend=false | ${rc} 1 0 1 400 `,
      `version | ${rc} 1 0 1 400 from the constructor`,
      `version | ${rc} 1 0 1 100 from the call`,
    ]);
  });

  it('plans with each option as Terraform spells it, and the defaults when none is given', async () => {
    const { cli, runs } = recordingTerraform();
    await cli().plan(dir, { out: 'a.tfplan' });
    await cli().plan(dir, { out: 'b.tfplan', json: true, destroy: true, refresh: false, lock: false, detailedExitCode: true, variables: { tenancy_principal: 'planner', other: 'x y' } });
    await cli().plan(dir, { out: 'c.tfplan', json: false, destroy: false, refresh: true, lock: true, detailedExitCode: false });
    expect(runs().map((r) => r.split(' | ')[0])).toEqual([
      'plan -input=false -no-color -out=a.tfplan',
      'plan -input=false -no-color -out=b.tfplan -json -destroy -refresh=false -lock=false -detailed-exitcode -var=tenancy_principal=planner -var=other=x y',
      'plan -input=false -no-color -out=c.tfplan',
    ]);
  });

  it('validates, shows, applies and reads schemas with the arguments each needs', async () => {
    const { cli, runs } = recordingTerraform();
    writeFileSync(join(dir, 'p.tfplan'), 'saved');
    writeFileSync(join(dir, '.terraform.lock.hcl'), 'lock');
    expect(await cli().validate(dir)).toEqual({ valid: false, diagnostics: [{ severity: 'error', summary: 'Unsupported argument' }] });
    expect(await cli().showPlan(dir, 'p.tfplan')).toEqual({ plan: 'saved' });
    await cli().apply(dir, 'p.tfplan', { EXTRA: 'apply' });
    expect(await cli().providerSchemas(dir)).toEqual({ provider_schemas: {} });
    expect(runs().map((r) => r.split(' | ')[0])).toEqual([
      'validate -json -no-color', 'show -json -no-color p.tfplan', 'apply -input=false -no-color -auto-approve p.tfplan', 'providers schema -json',
    ]);
    expect(runs()[2]).toMatch(/ apply$/);
  });

  it('says which folder a failed show or schema read was in, and keeps neither failure', async () => {
    const { cli, runs } = recordingTerraform();
    writeFileSync(join(dir, 'p.tfplan'), 'saved');
    writeFileSync(join(dir, '.terraform.lock.hcl'), 'lock');
    writeFileSync(join(dir, 'fail'), '');
    const terraform = cli({}, new TerraformResultCache(join(dir, 'cache')));
    await expect(terraform.showPlan(dir, 'p.tfplan')).rejects.toThrow(`terraform show failed in ${dir}: Error: it broke`);
    await expect(terraform.providerSchemas(dir)).rejects.toThrow(`terraform providers schema failed in ${dir}: Error: it broke`);
    rmSync(join(dir, 'fail'));
    expect(await terraform.showPlan(dir, 'p.tfplan')).toEqual({ plan: 'saved' });
    expect(await terraform.providerSchemas(dir)).toEqual({ provider_schemas: {} });
    expect(runs().map((r) => r.split(' ')[0])).toEqual(['show', 'providers', 'show', 'providers']);
  });

  it('keeps the JSON of the 64 latest plans in a process, the oldest given up first', async () => {
    const { cli, runs } = recordingTerraform();
    const terraform = cli();
    const show = (n: number) => { writeFileSync(join(dir, 'p.tfplan'), `plan ${n}`); return terraform.showPlan(dir, 'p.tfplan'); };
    for (let n = 1; n <= 64; n++) await show(n);
    await show(1);
    expect(runs()).toHaveLength(64);
    await show(65);
    await show(1);
    expect(runs()).toHaveLength(65);
    await show(2);
    expect(runs()).toHaveLength(66);
  });
});
