import type { PlannedStack, PlanRun } from '@tenancy/lifecycle';

/** Finds the sticky comment among a pull request's comments. */
export const PLAN_COMMENT_MARKER = '<!-- tenancy:plan -->';
/** GitHub refuses comments longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface PlanCommentOptions {
  /** Where the plans and summaries of every shard were uploaded. */
  readonly artifactsUrl?: string;
  /** @default GITHUB_COMMENT_LIMIT */
  readonly maxChars?: number;
}

interface TenantView {
  readonly tenant: string;
  readonly stacks: PlannedStack[];
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly failed: boolean;
  readonly offboarding?: string;
}

const ADDRESSES_SHOWN = 10;
/** Lines per header section: with addresses and errors cut short, the header alone stays far under the limit. */
const LINES_SHOWN = 40;

function totals(stacks: readonly PlannedStack[]) {
  return stacks.reduce((t, s) => ({ add: t.add + (s.summary?.add ?? 0), change: t.change + (s.summary?.change ?? 0), destroy: t.destroy + (s.summary?.destroy ?? 0) }), { add: 0, change: 0, destroy: 0 });
}

const counts = (t: { add: number; change: number; destroy: number }) => `+${t.add} ~${t.change} -${t.destroy}`;
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function byTenant(stacks: readonly PlannedStack[]): TenantView[] {
  const groups = new Map<string, PlannedStack[]>();
  for (const stack of stacks) groups.set(stack.tenant ?? stack.stack, [...(groups.get(stack.tenant ?? stack.stack) ?? []), stack]);
  return [...groups].map(([tenant, list]) => {
    const offboard = list.find((s) => s.retainUntil);
    return {
      tenant, stacks: list, ...totals(list), failed: list.some((s) => s.status === 'failed'),
      ...(offboard ? { offboarding: offboard.retainUntil!.slice(0, 10) } : {}),
    };
  }).sort((a, b) => Number(b.failed) - Number(a.failed) || b.destroy - a.destroy || a.tenant.localeCompare(b.tenant));
}

/** A list capped at `shown` lines, the rest counted. */
function capped(lines: readonly string[], shown: number, more: (n: number) => string): string[] {
  return lines.length <= shown ? [...lines] : [...lines.slice(0, shown), more(lines.length - shown)];
}

function stackLine(stack: PlannedStack): string {
  const state = stack.summary ? counts(stack.summary) : stack.status === 'skipped' ? `skipped: ${stack.reason ?? ''}` : `**failed**`;
  const why = stack.reasons.length ? ` — ${stack.reasons.join('; ')}` : '';
  return `- ${code(stack.stack)} (${stack.action}): ${state}${why}`;
}

function details(view: TenantView): string {
  return [`<details><summary><b>${view.tenant}</b> ${counts(view)}${view.failed ? ' — failed' : ''}</summary>`, '', ...view.stacks.map(stackLine), '', '</details>'].join('\n');
}

/** The sticky pull request comment (and job summary) of a plan, merged from every shard's run. */
export function renderPlanComment(runs: readonly PlanRun[], options: PlanCommentOptions = {}): string {
  const limit = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  const stacks = runs.flatMap((r) => r.stacks);
  const tenants = byTenant(stacks);
  const sum = totals(stacks);
  const failed = stacks.filter((s) => s.status === 'failed');
  const range = runs[0] ? `${runs[0].base.slice(0, 7)}..${runs[0].head.slice(0, 7)}` : '';
  const artifacts = options.artifactsUrl ? `[plans and summaries](${options.artifactsUrl})` : 'the run\'s artifacts';
  const seeArtifacts = (n: number, what: string) => `- … and ${n} more ${what}: see ${artifacts}`;

  const head = [
    PLAN_COMMENT_MARKER,
    `### tenancy plan ${range ? code(range) : ''}`,
    '',
    `**${tenants.length} tenants, ${stacks.length} stacks: ${sum.add} to add, ${sum.change} to change, ${sum.destroy} to destroy**${failed.length ? ` · **${failed.length} failed**` : ''}${runs.some((r) => r.offline) ? ' · offline plan' : ''}`,
  ];
  if (failed.length) {
    head.push('', '> [!CAUTION]', '> **Failed to plan** (nothing of these tenants will be applied):',
      ...capped(failed.map((s) => `> - ${code(s.stack)}: ${(s.error ?? '').split('\n').find((l) => l.trim())?.slice(0, 200) ?? ''}`), LINES_SHOWN, (n) => `> ${seeArtifacts(n, 'failures')}`));
  }
  const destroying = stacks.filter((s) => s.summary?.destroys.length);
  if (destroying.length) {
    head.push('', '> [!WARNING]', '> **Destroys**:', ...capped(destroying.map((s) => {
      const shown = s.summary!.destroys.slice(0, ADDRESSES_SHOWN).map(code).join(', ');
      const more = s.summary!.destroys.length > ADDRESSES_SHOWN ? ` and ${s.summary!.destroys.length - ADDRESSES_SHOWN} more` : '';
      return `> - ${code(s.stack)} (${s.summary!.destroy}): ${shown}${more}`;
    }), LINES_SHOWN, (n) => `> ${seeArtifacts(n, 'stacks with destroys')}`));
  }
  const offboarding = tenants.filter((t) => t.offboarding);
  if (offboarding.length) {
    head.push('', '> [!IMPORTANT]', '> **Offboarding** (workload and compute destroyed; data kept until its date):',
      ...capped(offboarding.map((t) => `> - ${t.tenant}: data kept until ${t.offboarding}`), LINES_SHOWN, (n) => `> ${seeArtifacts(n, 'offboardings')}`));
  }

  const table = (rows: readonly TenantView[]) => ['| tenant | stacks | plan |', '|---|---|---|', ...rows.map((t) => `| ${t.tenant} | ${t.stacks.map((s) => `${s.action === 'destroy' ? '-' : ''}${s.kind}`).join(', ')} | ${t.failed ? '**failed**' : counts(t)} |`)];
  const render = (rows: number, withDetails: boolean) => {
    const shown = tenants.slice(0, rows);
    const body = [...head, '', ...table(shown)];
    if (rows < tenants.length) body.push('', seeArtifacts(tenants.length - rows, 'tenants'));
    if (withDetails) body.push('', ...shown.map(details));
    else if (tenants.length) body.push('', `Per-tenant detail is in ${artifacts}.`);
    return `${body.join('\n')}\n`;
  };

  const full = render(tenants.length, true);
  if (full.length <= limit) return full;
  const noDetails = render(tenants.length, false);
  if (noDetails.length <= limit) return noDetails;
  let low = 0;
  let high = tenants.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (render(mid, false).length <= limit) low = mid;
    else high = mid - 1;
  }
  return render(low, false);
}
