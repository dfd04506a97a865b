import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_OVERRIDE_FILE } from '../offline/offline-override';
import { binaryIdentity, cacheKey, offlinePlanInputs, TerraformResultCache } from './result-cache';
import { TerraformCli } from './terraform-cli';

let dir: string;
let stack: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenancy-result-cache-'));
  stack = join(dir, 'out', 'tenant-acme-data');
  mkdirSync(stack, { recursive: true });
  writeFileSync(join(stack, 'main.tf.json'), '{"resource":{}}');
  writeFileSync(join(stack, '.terraform.lock.hcl'), 'provider "registry.terraform.io/hashicorp/aws" {}');
  writeFileSync(join(stack, OFFLINE_OVERRIDE_FILE), override(40001));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function override(port: number): string {
  return JSON.stringify({
    terraform: { backend: { local: { path: '../../state/tenant-acme-data.tfstate' } } },
    provider: { aws: [{ endpoints: [{ sts: `http://127.0.0.1:${port}` }] }] },
    data: { terraform_remote_state: { cell: { backend: 'local', config: { path: '../../state/empty.tfstate' } } } },
  });
}

/**
 * A stand-in `terraform` that logs each run's subcommand; `plan` saves a plan file numbered by the
 * run, `show` prints it back as JSON, and `providers schema` prints a schema.
 */
function fakeTerraform(): string {
  const bin = join(dir, 'terraform');
  writeFileSync(bin, [
    '#!/bin/sh',
    `echo "$1" >> "${dir}/log"`,
    `n=$(wc -l < "${dir}/log")`,
    'case "$1" in',
    `  plan) [ -f "${dir}/fail" ] && { echo "Error: connection refused" >&2; exit 1; }`,
    '        detailed=1; for a in "$@"; do case "$a" in -out=*) echo "plan of run $n" > "${a#-out=}";; -detailed-exitcode) detailed=2;; esac; done',
    '        echo \'{"type":"change_summary"}\'; [ $detailed = 2 ] && exit 2; exit 0;;',
    '  show) printf \'{"plan":"%s"}\' "$(cat "$4")";;',
    '  providers) echo \'{"provider_schemas":{}}\';;',
    'esac',
  ].join('\n'));
  chmodSync(bin, 0o755);
  return bin;
}

const runs = () => readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
const plan = (cli: TerraformCli, options: { detailedExitCode?: boolean } = {}) => cli.plan(stack, { out: 'tenancy.tfplan', json: true, refresh: false, lock: false, ...options });

describe('Terraform results kept between processes', () => {
  it('plans an offline configuration once: a second process gets its saved plan and output without running Terraform', async () => {
    const cache = join(dir, 'cache');
    const first = await plan(new TerraformCli(fakeTerraform(), join(dir, 'rc'), {}, new TerraformResultCache(cache)));
    rmSync(join(stack, 'tenancy.tfplan'));
    // The stand-in of another run listens on another port: the same plan.
    writeFileSync(join(stack, OFFLINE_OVERRIDE_FILE), override(40002));
    const second = await plan(new TerraformCli(join(dir, 'terraform'), join(dir, 'rc'), {}, new TerraformResultCache(cache)));
    expect(second).toEqual(first);
    expect(first.code).toBe(0);
    expect(readFileSync(join(stack, 'tenancy.tfplan'), 'utf8')).toBe('plan of run 1\n');
    expect(runs()).toEqual(['plan']);
  });

  it('plans again when the configuration, the state, a state read for another stack\'s outputs, or the arguments differ', async () => {
    const cli = new TerraformCli(fakeTerraform(), join(dir, 'rc'), {}, new TerraformResultCache(join(dir, 'cache')));
    await plan(cli);
    writeFileSync(join(stack, 'main.tf.json'), '{"resource":{"aws_s3_bucket":{}}}');
    await plan(cli);
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'tenant-acme-data.tfstate'), '{"serial":1}');
    await plan(cli);
    writeFileSync(join(dir, 'state', 'empty.tfstate'), '{"outputs":{}}');
    await plan(cli);
    writeFileSync(join(stack, '.terraform.lock.hcl'), 'provider "registry.terraform.io/hashicorp/aws" { version = "6.0.0" }');
    await plan(cli);
    await plan(cli, { detailedExitCode: true });
    await plan(cli, { detailedExitCode: true });
    expect(runs()).toEqual(['plan', 'plan', 'plan', 'plan', 'plan', 'plan']);
    expect(readFileSync(join(stack, 'tenancy.tfplan'), 'utf8')).toBe('plan of run 6\n');
  });

  it('reads every configuration file, .tf as well as .tf.json, and no other file; an override with no state files is read too', async () => {
    const cli = new TerraformCli(fakeTerraform(), join(dir, 'rc'), {}, new TerraformResultCache(join(dir, 'cache')));
    await plan(cli);
    writeFileSync(join(stack, 'notes.txt'), 'not configuration');
    mkdirSync(join(stack, '.terraform'));
    await plan(cli);
    writeFileSync(join(stack, 'extra.tf'), 'locals { x = 1 }');
    await plan(cli);
    writeFileSync(join(stack, OFFLINE_OVERRIDE_FILE), '{}');
    await plan(cli);
    await plan(cli);
    writeFileSync(join(stack, OFFLINE_OVERRIDE_FILE), '{"terraform":{},"data":{"terraform_remote_state":{"cell":{}}}}');
    await plan(cli);
    await plan(cli);
    expect(runs()).toEqual(['plan', 'plan', 'plan', 'plan']);
  });

  it('keeps a plan with changes under -detailed-exitcode, and never a failed one', async () => {
    const cli = new TerraformCli(fakeTerraform(), join(dir, 'rc'), {}, new TerraformResultCache(join(dir, 'cache')));
    expect((await plan(cli, { detailedExitCode: true })).code).toBe(2);
    expect((await plan(cli, { detailedExitCode: true })).code).toBe(2);
    writeFileSync(join(stack, 'main.tf.json'), '{"resource":{"aws_s3_bucket":{}}}');
    writeFileSync(join(dir, 'fail'), '');
    expect((await plan(cli)).code).toBe(1);
    rmSync(join(dir, 'fail'));
    expect((await plan(cli)).code).toBe(0);
    expect(await plan(cli)).toMatchObject({ code: 0 });
    // The plan with changes, the failure, and the same configuration planned again once it could be.
    expect(runs()).toEqual(['plan', 'plan', 'plan']);
  });

  it('never keeps a plan against real state and AWS, nor one given its own environment', async () => {
    const cli = new TerraformCli(fakeTerraform(), join(dir, 'rc'), {}, new TerraformResultCache(join(dir, 'cache')));
    await cli.plan(stack, { out: 'tenancy.tfplan' }, { AWS_PROFILE: 'other' });
    await cli.plan(stack, { out: 'tenancy.tfplan' }, { AWS_PROFILE: 'other' });
    rmSync(join(stack, OFFLINE_OVERRIDE_FILE));
    await plan(cli);
    await plan(cli);
    expect(runs()).toEqual(['plan', 'plan', 'plan', 'plan']);
  });

  it('reads a saved plan\'s JSON once per plan file, whether the same process or another asks again, and a new plan anew', async () => {
    const cache = join(dir, 'cache');
    const cli = new TerraformCli(fakeTerraform(), join(dir, 'rc'), {}, new TerraformResultCache(cache));
    await plan(cli);
    const json = await cli.showPlan(stack, 'tenancy.tfplan');
    expect(json).toEqual({ plan: 'plan of run 1' });
    (json as { plan: string }).plan = 'changed by a caller';
    expect(await cli.showPlan(stack, 'tenancy.tfplan')).toEqual({ plan: 'plan of run 1' });
    expect(await new TerraformCli(join(dir, 'terraform'), join(dir, 'rc'), {}, new TerraformResultCache(cache)).showPlan(stack, 'tenancy.tfplan')).toEqual({ plan: 'plan of run 1' });
    writeFileSync(join(stack, 'tenancy.tfplan'), 'another plan');
    expect(await cli.showPlan(stack, 'tenancy.tfplan')).toEqual({ plan: 'another plan' });
    expect(runs()).toEqual(['plan', 'show', 'show']);
  });

  it('keeps a saved plan\'s JSON in the process without a cache folder too', async () => {
    const cli = new TerraformCli(fakeTerraform(), join(dir, 'rc'));
    await plan(cli);
    await cli.showPlan(stack, 'tenancy.tfplan');
    await cli.showPlan(stack, 'tenancy.tfplan');
    await plan(cli);
    await cli.showPlan(stack, 'tenancy.tfplan');
    expect(runs()).toEqual(['plan', 'show', 'plan', 'show']);
  });

  it('reads the provider schemas once per lock file', async () => {
    const cache = join(dir, 'cache');
    const cli = new TerraformCli(fakeTerraform(), join(dir, 'rc'), {}, new TerraformResultCache(cache));
    expect(await cli.providerSchemas(stack)).toEqual({ provider_schemas: {} });
    await cli.providerSchemas(stack);
    await new TerraformCli(join(dir, 'terraform'), join(dir, 'rc'), {}, new TerraformResultCache(cache)).providerSchemas(stack);
    writeFileSync(join(stack, '.terraform.lock.hcl'), 'provider "registry.terraform.io/hashicorp/aws" { version = "6.0.0" }');
    await new TerraformCli(join(dir, 'terraform'), join(dir, 'rc'), {}, new TerraformResultCache(cache)).providerSchemas(stack);
    expect(runs()).toEqual(['providers', 'providers']);
  });
});

describe('what a cache key is made of', () => {
  it('tells lists of parts apart however their text is split', () => {
    expect(cacheKey('plan', ['ab', 'c'])).not.toBe(cacheKey('plan', ['a', 'bc']));
    expect(cacheKey('plan', ['ab', 'c'])).toBe(cacheKey('plan', ['ab', 'c']));
    expect(cacheKey('plan', ['x'])).toMatch(/^plan-[0-9a-f]{64}$/);
  });

  it('knows a binary by its path, size and time of change', () => {
    const bin = fakeTerraform();
    const before = binaryIdentity(bin);
    expect(before).toBe(binaryIdentity(bin));
    writeFileSync(bin, `${readFileSync(bin, 'utf8')}\n# another build`);
    expect(binaryIdentity(bin)).not.toBe(before);
    expect(binaryIdentity(bin)).toContain(bin);
  });

  it('reads an override that keeps another backend, and tells a missing state file from an empty one', () => {
    writeFileSync(join(stack, OFFLINE_OVERRIDE_FILE), JSON.stringify({ terraform: { backend: { s3: { bucket: 'b' } } }, data: { terraform_remote_state: { cell: { config: { path: '../../state/cell.tfstate' } } } } }));
    const missing = offlinePlanInputs(stack, OFFLINE_OVERRIDE_FILE)!;
    expect(missing.filter((part) => part.startsWith('state '))).toEqual(['state ../../state/cell.tfstate']);
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'cell.tfstate'), '');
    expect(cacheKey('plan', offlinePlanInputs(stack, OFFLINE_OVERRIDE_FILE)!)).not.toBe(cacheKey('plan', missing));
  });
});

