import type { ApplyReport, DriftResult, ReapResult } from '@tenancy/lifecycle';

const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;

/** The job summary of an apply: result per tenant, waves, and who was left on the previous version. */
export function renderApplySummary(report: ApplyReport, head: string): string {
  const failed = report.outcomes.filter((o) => !['applied', 'deferred'].includes(o.status));
  const lines = [
    `### tenancy apply \`${head.slice(0, 7)}\``, '',
    `**${report.outcomes.length} tenants and shared stacks: ${report.outcomes.filter((o) => o.status === 'applied').length} applied, ${failed.length} not applied, ${report.outcomes.filter((o) => o.status === 'deferred').length} deferred**`,
  ];
  if (report.leftBehind.length) lines.push('', `> [!WARNING]\n> Left on the previous version: ${report.leftBehind.join(', ')}`);
  lines.push('', row(['tenant / stack', 'result', 'wave', 'detail']), row(['---', '---', '---', '---']));
  for (const o of report.outcomes) lines.push(row([o.unit, o.status, o.wave ?? '', [o.detail, o.access].filter(Boolean).join('; ')]));
  if (report.waves.length) {
    lines.push('', row(['wave', 'channel', 'tenants', 'failures', 'tolerated', 'halted']), row(['---', '---', '---', '---', '---', '---']));
    for (const w of report.waves) lines.push(row([w.name, w.channel ?? 'pinned', String(w.tenants.length), String(w.failures), String(w.maxFailures), w.halted ? 'yes' : 'no']));
  }
  return `${lines.join('\n')}\n`;
}

/** The job summary of a reap: what was purged, and what waits until when. */
export function renderReapSummary(results: readonly ReapResult[], asOf: Date): string {
  const lines = [`### tenancy reap as of ${asOf.toISOString().slice(0, 10)}`, '', row(['tenant', 'offboarded', 'kept until', 'status', 'detail']), row(['---', '---', '---', '---', '---'])];
  for (const { decision, plan, purged, error } of results) {
    const status = error ? 'failed' : purged ? 'purged' : decision.status;
    lines.push(row([decision.tenant.id, decision.tenant.deletedAt.slice(0, 10), decision.tenant.retainUntil.slice(0, 10), status, error ?? (plan ? `${plan.destroy} resources destroyed` : decision.detail)]));
  }
  return `${lines.join('\n')}\n`;
}

/** The issue body of a drifted tenant. */
export function renderDrift(result: DriftResult): string {
  return [
    `**${result.unit}** no longer matches the repository: a plan of the repository as it is would change these stacks.`, '',
    ...result.stacks.filter((s) => s.status !== 'clean').map((s) => `- \`${s.stack}\` (${s.status}): ${s.detail}`), '',
    'Re-apply it from the repository (`tenancy plan --tenant <id>` or `--cell`/`--pool`, then `tenancy apply`), or change its file to match what was changed by hand.',
  ].join('\n');
}
