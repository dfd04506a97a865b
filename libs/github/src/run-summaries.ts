import type { ApplyReport, DriftResult, ReapResult } from '@tenancy/lifecycle';

const row = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;

/** Outcomes that are not a failure: applied, or held back on purpose (a maintenance window, upgrade: manual). */
const SETTLED = ['applied', 'deferred', 'manual'];

/** The job summary of an apply: why a rollout halted, result per tenant, the waves and their gates, who was left behind. */
export function renderApplySummary(report: ApplyReport, head: string): string {
  const failed = report.outcomes.filter((o) => !SETTLED.includes(o.status));
  const count = (status: string) => report.outcomes.filter((o) => o.status === status).length;
  const lines = [
    `### tenancy apply \`${head.slice(0, 7)}\``, '',
    `**${report.outcomes.length} tenants and shared stacks: ${count('applied')} applied, ${failed.length} not applied, ${count('deferred')} deferred, ${count('manual')} on manual upgrade**`,
  ];
  if (report.halted) lines.push('', `> [!CAUTION]\n> Rollout halted: ${report.halted}. Fix the release, then push (or re-run): the next apply starts from the last successful one.`);
  const paused = [...new Set(report.waves.filter((w) => w.paused).map((w) => w.channel))];
  if (paused.length) lines.push('', `> [!NOTE]\n> Paused in platform.yaml: channel ${paused.join(', ')}. Set \`paused: false\` to resume.`);
  if (report.leftBehind.length) lines.push('', `> [!WARNING]\n> Left on the previous version: ${report.leftBehind.join(', ')}`);
  lines.push('', row(['tenant / stack', 'result', 'wave', 'detail']), row(['---', '---', '---', '---']));
  for (const o of report.outcomes) lines.push(row([o.unit, o.status, o.wave ?? '', [o.detail, o.access].filter(Boolean).join('; ')]));
  if (report.waves.length) {
    lines.push('', row(['wave', 'channel', 'tenants', 'failures', 'of which unhealthy', 'tolerated', 'baked', 'state']), row(['---', '---', '---', '---', '---', '---', '---', '---']));
    for (const w of report.waves) {
      const state = w.halted ? 'halted before it' : w.paused ? 'paused' : w.failures > w.maxFailures ? 'halted the rollout' : 'passed';
      lines.push(row([w.name, w.channel ?? 'pinned', String(w.tenants.length), String(w.failures), w.unhealthy === undefined ? '-' : String(w.unhealthy), String(w.maxFailures), w.bakedMinutes ? `${w.bakedMinutes} min` : '-', state]));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The job summary of a reap: what was purged, and what waits until when. */
export function renderReapSummary(results: readonly ReapResult[], asOf: Date): string {
  const lines = [`### tenancy reap as of ${asOf.toISOString().slice(0, 10)}`, '', row(['tenant', 'offboarded', 'kept until', 'status', 'detail']), row(['---', '---', '---', '---', '---'])];
  for (const { decision, plan, purged, error } of results) {
    const status = error ? 'failed' : purged ? 'purged' : decision.status;
    lines.push(row([decision.tenant.id, decision.appliedAt?.slice(0, 10) ?? 'not applied', decision.retainUntil?.slice(0, 10) ?? '-', status, error ?? (plan ? `${plan.destroy} resources destroyed` : decision.detail)]));
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
