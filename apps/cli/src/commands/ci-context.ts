import { readFileSync } from 'node:fs';
import { contextOutputs, eventContext } from '@tenancy/github';
import { EXIT, UsageError } from '../exit-codes';

export interface CiContextOptions {
  /** @default $GITHUB_EVENT_NAME */
  readonly event?: string;
  /** @default $GITHUB_EVENT_PATH */
  readonly payload?: string;
}

/** Prints what the workflow run works on (`key=value` lines for $GITHUB_OUTPUT), from its event. */
export function ciContextCommand(options: CiContextOptions): number {
  const event = options.event ?? process.env.GITHUB_EVENT_NAME;
  const path = options.payload ?? process.env.GITHUB_EVENT_PATH;
  if (!event || !path) throw new UsageError('no event: pass --event and --payload, or run in GitHub Actions');
  const payload: unknown = JSON.parse(readFileSync(path, 'utf8'));
  process.stdout.write(`${contextOutputs(eventContext(event, payload))}\n`);
  return EXIT.ok;
}
