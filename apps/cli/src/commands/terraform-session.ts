import { findToolchain, OfflineSession, offlineGap, terraformFor, type TerraformCli } from '@tenancy/lifecycle';
import { UsageError } from '../exit-codes';
import { workspaceDirs } from '../workspace';

export interface TerraformSession {
  readonly terraform: TerraformCli;
  /** Present with --offline: the stand-in every AWS call of the run goes to. */
  readonly offline?: OfflineSession;
}

/** Runs `work` with Terraform configured for this repository, starting and stopping the offline stand-in. */
export async function withTerraform<T>(root: string, offline: boolean, work: (session: TerraformSession) => Promise<T>): Promise<T> {
  const toolchain = findToolchain();
  const gap = offline ? offlineGap(toolchain) : toolchain ? undefined : offlineGap(toolchain);
  if (gap || !toolchain) throw new UsageError(`cannot run Terraform: ${gap}`);
  const dirs = workspaceDirs(root);
  const terraform = terraformFor(toolchain, dirs.cliConfig);
  if (!offline) return work({ terraform });
  const session = await OfflineSession.start(dirs.offlineState);
  try {
    return await work({ terraform, offline: session });
  } finally {
    await session.stop();
  }
}
