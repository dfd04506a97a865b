import { join } from 'node:path';

/**
 * Folders of generated output inside the repository, all under `.tenancy/` (ignored by Git):
 * synthesized stacks, local state, offline state, plans and Terraform's CLI configuration.
 */
export function workspaceDirs(root: string) {
  const base = join(root, '.tenancy');
  return {
    base,
    out: join(base, 'out'),
    state: join(base, 'state'),
    plans: join(base, 'plans'),
    bootstrap: join(base, 'bootstrap'),
    cliConfig: join(base, 'terraform.rc'),
  };
}
