import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { STACK_FILE } from '@tenancy/stacks';
import { AwsStandIn } from './aws-stand-in';
import { EMPTY_STATE, OFFLINE_OVERRIDE_FILE, offlineOverride } from './offline-override';

/**
 * What running Terraform without cloud credentials takes: the loopback AWS stand-in, an empty
 * state for other stacks' outputs, and an override file in every stack folder. Started by the
 * command itself; stop it when done.
 */
export class OfflineSession {
  private constructor(
    readonly standIn: AwsStandIn,
    /** Folder of offline state files, one per stack, plus the empty state. */
    private readonly stateDir: string,
  ) {}

  static async start(stateDir: string): Promise<OfflineSession> {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, 'empty.tfstate'), EMPTY_STATE);
    const standIn = new AwsStandIn();
    await standIn.start();
    return new OfflineSession(standIn, stateDir);
  }

  /** Writes the offline override next to a synthesized stack. */
  prepare(stackDir: string, stackName: string): void {
    const stack = JSON.parse(readFileSync(join(stackDir, STACK_FILE), 'utf8')) as object;
    const fromStack = (file: string) => relative(stackDir, join(this.stateDir, file)).split('\\').join('/');
    const override = offlineOverride(stack, { endpoint: this.standIn.url, statePath: fromStack(`${stackName}.tfstate`), emptyStatePath: fromStack('empty.tfstate') });
    writeFileSync(join(stackDir, OFFLINE_OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
  }

  stop(): Promise<void> {
    return this.standIn.stop();
  }
}
