import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AWS_PROVIDER } from '@tenancy/stacks';
import { cliConfig, type Toolchain } from '@tenancy/lifecycle';

export interface InitResult {
  readonly cache: boolean;
  readonly seconds: number;
  /** Bytes under each stack's .terraform, symbolic links counted as links. */
  readonly bytesPerStack: number;
}

/** Bytes of a tree, not following symbolic links. */
function diskBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + diskBytes(join(path, name)), 0);
}

/**
 * Synthesizes `count` AWS-only stacks of the fleet at `root` and runs `terraform init` on each,
 * first sharing one plugin cache (as tenancy does), then with none: each stack gets the provider.
 */
export function measureInit(root: string, toolchain: Toolchain, count: number): InitResult[] {
  const out = join(root, '.tenancy', 'init-bench');
  const synth = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'apps/cli/bin/tenancy.mjs'), 'synth', '--all', '--backend', 'local', '--out', out, '--root', root], { encoding: 'utf8' });
  if (synth.status !== 0) throw new Error(synth.stderr);
  const awsOnly = readdirSync(out).filter((name) => {
    const providers = Object.keys((JSON.parse(readFileSync(join(out, name, 'main.tf.json'), 'utf8')) as { terraform: { required_providers: object } }).terraform.required_providers);
    return providers.length === 1 && providers[0] === 'aws';
  }).slice(0, count);
  return [true, false].map((cache) => {
    const cacheDir = join(root, '.tenancy', `plugin-cache-${cache}`);
    const config = join(root, '.tenancy', `terraform-${cache}.rc`);
    mkdirSync(cacheDir, { recursive: true });
    const text = cliConfig({ ...toolchain, pluginCache: cacheDir });
    writeFileSync(config, cache ? text : text.replace(/^plugin_cache_dir = .*\n/, ''));
    for (const stack of awsOnly) rmSync(join(out, stack, '.terraform'), { recursive: true, force: true });
    const started = process.hrtime.bigint();
    for (const stack of awsOnly) {
      const init = spawnSync(toolchain.terraform, ['init', '-input=false', '-no-color'], { cwd: join(out, stack), env: { ...process.env, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: '1' }, encoding: 'utf8' });
      if (init.status !== 0) throw new Error(`terraform init in ${stack} (${AWS_PROVIDER.version}): ${init.stderr}`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const bytes = awsOnly.reduce((sum, stack) => sum + diskBytes(join(out, stack, '.terraform')), 0);
    return { cache, seconds, bytesPerStack: bytes / awsOnly.length };
  });
}
