/** What a saved plan will do to one stack. */
export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Addresses of resources the plan destroys (replacements included), so a reviewer sees every one. */
  readonly destroys: string[];
  /** Addresses the plan replaces (destroy, then create). */
  readonly replaces: string[];
}

interface PlanEvent {
  type: string;
  change?: { resource: { addr: string }; action: string };
  changes?: { add: number; change: number; remove: number };
}

/**
 * The summary of `terraform plan -json`'s event stream. The counts are checked against
 * Terraform's own change summary, so a misread stream fails loudly instead of hiding a destroy.
 */
export function summarizePlanEvents(stdout: string): PlanSummary {
  const events = stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as PlanEvent);
  const summary = { add: 0, change: 0, destroy: 0, destroys: [] as string[], replaces: [] as string[] };
  for (const event of events) {
    if (event.type !== 'planned_change' || !event.change) continue;
    const { action, resource } = event.change;
    if (action === 'create') summary.add++;
    else if (action === 'update') summary.change++;
    else if (action === 'delete') {
      summary.destroy++;
      summary.destroys.push(resource.addr);
    } else if (action === 'replace') {
      summary.add++;
      summary.destroy++;
      summary.destroys.push(resource.addr);
      summary.replaces.push(resource.addr);
    }
  }
  const reported = events.find((e) => e.type === 'change_summary')?.changes;
  if (!reported) throw new Error('terraform plan -json reported no change summary');
  if (reported.add !== summary.add || reported.change !== summary.change || reported.remove !== summary.destroy) {
    throw new Error(`plan events (+${summary.add} ~${summary.change} -${summary.destroy}) disagree with Terraform's summary (+${reported.add} ~${reported.change} -${reported.remove})`);
  }
  summary.destroys.sort();
  summary.replaces.sort();
  return summary;
}
