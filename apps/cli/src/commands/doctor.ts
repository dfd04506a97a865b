import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRepositorySettings, ROLLOUT_BRANCH } from '@tenancy/github';
import { hasErrors, PLATFORM_FILE, readPlatform } from '@tenancy/model';
import { DEFAULT_BRANCH, ENVIRONMENTS } from '@tenancy/stacks/github-trust';
import { EXIT } from '../exit-codes';
import { printDiagnostics } from '../output/diagnostics';
import { renderTable } from '../output/table';
import { githubFrom } from './github-repository';

export interface DoctorOptions {
  readonly root: string;
  /** @default platform.yaml's controlPlane.repository */
  readonly repository?: string;
}

/**
 * Reads the repository's settings through GitHub's API and says what the trust chain needs that is
 * missing: the OIDC subject the control plane's trusts match, reviewers and the default branch alone
 * on the environments of the deployer and the purger, and a rollout branch only GitHub Actions writes.
 */
export async function doctorCommand(options: DoctorOptions): Promise<number> {
  const platform = readPlatform(PLATFORM_FILE, readFileSync(join(options.root, PLATFORM_FILE)));
  if (hasErrors(platform.diagnostics) || !platform.value) {
    printDiagnostics(platform.diagnostics, (line) => process.stderr.write(`${line}\n`));
    return EXIT.invalid;
  }
  const { github, owner, repo } = githubFrom(options.repository ?? platform.value.controlPlane.repository);
  const findings = await checkRepositorySettings(github, { owner, repo }, {
    environments: [ENVIRONMENTS.deployer, ENVIRONMENTS.purger], defaultBranch: DEFAULT_BRANCH, rolloutBranch: ROLLOUT_BRANCH,
  });
  const write = (line: string) => process.stdout.write(`${line}\n`);
  write(`${owner}/${repo}: what tenancy's trust chain needs of the repository's settings`);
  write(renderTable(['check', 'status', 'found'], findings.map((f) => [f.check, f.status, f.detail])));
  const fixes = findings.filter((f) => f.status !== 'ok' && f.fix);
  if (fixes.length) {
    write('');
    for (const f of fixes) write(`${f.check}: ${f.fix}`);
  }
  const missing = findings.filter((f) => f.status === 'missing').length;
  write('');
  write(missing ? `${missing} setting${missing === 1 ? '' : 's'} missing` : 'nothing missing');
  return missing ? EXIT.invalid : EXIT.ok;
}
