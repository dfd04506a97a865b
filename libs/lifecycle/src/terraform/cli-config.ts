import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AWS_PROVIDER } from '@tenancy/stacks';
import { TerraformResultCache } from './result-cache';
import { TerraformCli } from './terraform-cli';
import type { Toolchain } from './toolchain';

/**
 * Terraform's CLI configuration: the AWS provider from the mirror when there is one, everything
 * else from the registry, and one plugin cache for all stacks. With an unpacked mirror, Terraform
 * links cache entries to the mirror, so the provider binary is never copied at all.
 */
export function cliConfig(toolchain: Toolchain): string {
  const lines = [`plugin_cache_dir = ${JSON.stringify(toolchain.pluginCache)}`];
  if (toolchain.providerMirror) {
    lines.push(
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(toolchain.providerMirror)}`,
      `    include = [${JSON.stringify(AWS_PROVIDER.address)}]`,
      '  }',
      '  direct {',
      `    exclude = [${JSON.stringify(AWS_PROVIDER.address)}]`,
      '  }',
      '}',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the CLI configuration to `path` and creates the plugin cache. */
export function writeCliConfig(toolchain: Toolchain, path: string): string {
  mkdirSync(dirname(path), { recursive: true });
  mkdirSync(toolchain.pluginCache, { recursive: true });
  writeFileSync(path, cliConfig(toolchain));
  return path;
}

/** Terraform for a toolchain: the CLI configuration written to `cliConfigFile`, and its result cache if it has one. */
export function terraformFor(toolchain: Toolchain, cliConfigFile: string): TerraformCli {
  return new TerraformCli(toolchain.terraform, writeCliConfig(toolchain, cliConfigFile), {}, toolchain.resultCache ? new TerraformResultCache(toolchain.resultCache) : undefined);
}
