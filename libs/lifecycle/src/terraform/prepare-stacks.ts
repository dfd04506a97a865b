import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { mapLimit } from '../concurrency';
import type { TerraformCli, TerraformResult } from './terraform-cli';

const LOCK_FILE = '.terraform.lock.hcl';

/**
 * `terraform init` in every stack folder. The first runs alone and fills the shared plugin cache;
 * its lock file is then given to every other stack before their init. Without a lock file Terraform
 * will not trust a cache entry and installs it again, and concurrent installs into one cache race
 * ("mkdir ...: file exists"); with it, each init only links the cached provider.
 */
export async function initStacks(tf: TerraformCli, dirs: readonly string[], options: { backend: boolean; concurrency: number }): Promise<TerraformResult[]> {
  if (dirs.length === 0) return [];
  const first = await tf.init(dirs[0]!, { backend: options.backend });
  const lock = join(dirs[0]!, LOCK_FILE);
  if (first.code === 0 && existsSync(lock)) {
    for (const dir of dirs.slice(1)) if (!existsSync(join(dir, LOCK_FILE))) copyFileSync(lock, join(dir, LOCK_FILE));
  }
  const rest = await mapLimit(dirs.slice(1), options.concurrency, (dir) => tf.init(dir, { backend: options.backend }));
  return [first, ...rest];
}
