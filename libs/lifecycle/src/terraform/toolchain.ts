import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { AWS_PROVIDER } from '@tenancy/stacks';

/** Terraform and where its providers come from. */
export interface Toolchain {
  /** The terraform binary. */
  readonly terraform: string;
  /** Unpacked filesystem mirror holding the AWS provider; absent: providers come from the registry. */
  readonly providerMirror?: string;
  /** Shared plugin cache, so no stack gets its own copy of the 700 MB AWS provider. */
  readonly pluginCache: string;
  /**
   * Folder of Terraform results kept between processes (offline plans, plan JSON, provider
   * schemas), from TENANCY_TERRAFORM_CACHE: the test run gives each run its own. @default none
   */
  readonly resultCache?: string;
}

/** Where the mirror is looked for when TENANCY_PROVIDER_MIRROR is not set. */
const MIRROR_CANDIDATES = (env: NodeJS.ProcessEnv) => [
  '/opt/tf-plugins',
  join(homedir(), '.terraform.d', 'plugins'),
  join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'terraform', 'plugins'),
  '/usr/local/share/terraform/plugins',
  '/usr/share/terraform/plugins',
];

function platformDir(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `${os}_${arch}`;
}

/** Whether `dir` is an unpacked mirror holding the pinned AWS provider for this platform. */
export function holdsAwsProvider(dir: string): boolean {
  return existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER.version, platformDir()));
}

function onPath(binary: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Finds Terraform (TENANCY_TERRAFORM, else `terraform` on PATH) and the AWS provider mirror
 * (TENANCY_PROVIDER_MIRROR, else well-known folders). The plugin cache is TENANCY_PLUGIN_CACHE,
 * else ~/.cache/tenancy/terraform-plugins. Undefined when Terraform is missing.
 */
export function findToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain | undefined {
  const terraform = env.TENANCY_TERRAFORM || onPath('terraform', env);
  if (!terraform || !existsSync(terraform)) return undefined;
  const providerMirror = env.TENANCY_PROVIDER_MIRROR
    ? (holdsAwsProvider(env.TENANCY_PROVIDER_MIRROR) ? env.TENANCY_PROVIDER_MIRROR : undefined)
    : MIRROR_CANDIDATES(env).find(holdsAwsProvider);
  const pluginCache = env.TENANCY_PLUGIN_CACHE || join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'tenancy', 'terraform-plugins');
  return { terraform, ...(providerMirror ? { providerMirror } : {}), pluginCache, ...(env.TENANCY_TERRAFORM_CACHE ? { resultCache: env.TENANCY_TERRAFORM_CACHE } : {}) };
}

/** Why a toolchain cannot plan offline, or undefined when it can. */
export function offlineGap(toolchain: Toolchain | undefined): string | undefined {
  if (!toolchain) return 'Terraform is not installed: set TENANCY_TERRAFORM or put terraform on PATH';
  if (!toolchain.providerMirror) return `no filesystem mirror holds hashicorp/aws ${AWS_PROVIDER.version}: set TENANCY_PROVIDER_MIRROR`;
  return undefined;
}
