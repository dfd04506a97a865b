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
  /** Plan jobs that uploaded no run: their tenants are missing from the comment. @default 0 */
  readonly missingShards?: number;
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

/** Destroyed addresses listed per stack while the comment has room. */
const ADDRESSES_SHOWN = 10;

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

/** One line per tenant told something, from every shard's run (each computes the same notices). */
function noticeLines(runs: readonly PlanRun[]): string[] {
  const byTenant = new Map<string, { events: Set<string>; to: Set<string> }>();
  for (const notice of runs.flatMap((r) => r.notices ?? [])) {
    const entry = byTenant.get(notice.tenant) ?? { events: new Set(), to: new Set() };
    entry.events.add(notice.event);
    for (const to of notice.to) entry.to.add(to);
    byTenant.set(notice.tenant, entry);
  }
  return [...byTenant].sort(([a], [b]) => a.localeCompare(b)).map(([tenant, { events, to }]) => `${tenant}: ${[...events].join(', ')} → ${[...to].join(', ') || 'nobody'}`);
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

/** How much a rendering shows; the comment is trimmed by lowering these, least useful first. */
interface Detail {
  /** Tenants with a row in the table. */
  readonly rows: number;
  /** A fold per tenant with its stacks. */
  readonly folds: boolean;
  /** Destroyed addresses named per stack in the destroys callout. */
  readonly addresses: number;
  /** Lines per callout (failures, destroys, offboardings). */
  readonly callout: number;
}

/**
 * The sticky pull request comment (and job summary) of a plan, merged from every shard's run:
 * totals, then failures, destroys and offboardings (with retention dates) called out, then a
 * table and a fold per tenant. Under `maxChars` whatever the change: per-tenant folds go first,
 * then table rows, then destroyed addresses, and only then callout lines, each replaced by a
 * count and a link to the artifacts.
 */
export function renderPlanComment(runs: readonly PlanRun[], options: PlanCommentOptions = {}): string {
  const limit = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  const stacks = runs.flatMap((r) => r.stacks);
  const tenants = byTenant(stacks);
  const sum = totals(stacks);
  const byStack = (a: PlannedStack, b: PlannedStack) => a.stack.localeCompare(b.stack);
  const failed = stacks.filter((s) => s.status === 'failed').sort(byStack);
  const destroying = stacks.filter((s) => s.summary?.destroys.length).sort(byStack);
  const offboarding = tenants.filter((t) => t.offboarding);
  // Every shard computes the same change, so each run repeats its warnings.
  const warnings = [...new Set(runs.flatMap((r) => r.warnings ?? []))];
  const notices = noticeLines(runs);
  const range = runs[0] ? `${runs[0].base.slice(0, 7)}..${runs[0].head.slice(0, 7)}` : '';
  const artifacts = options.artifactsUrl ? `[plans and summaries](${options.artifactsUrl})` : 'the run\'s artifacts';
  const seeArtifacts = (n: number, what: string) => `- … and ${n} more ${what}: see ${artifacts}`;
  const table = (rows: readonly TenantView[]) => ['| tenant | stacks | plan |', '|---|---|---|', ...rows.map((t) => `| ${t.tenant} | ${t.stacks.map((s) => `${s.action === 'destroy' ? '-' : ''}${s.kind}`).join(', ')} | ${t.failed ? '**failed**' : counts(t)} |`)];

  const render = (detail: Detail) => {
    const body = [
      PLAN_COMMENT_MARKER,
      `### tenancy plan ${range ? code(range) : ''}`,
      '',
      `**${tenants.length} tenants, ${stacks.length} stacks: ${sum.add} to add, ${sum.change} to change, ${sum.destroy} to destroy**${failed.length ? ` · **${failed.length} failed**` : ''}${runs.some((r) => r.offline) ? ' · offline plan' : ''}`,
    ];
    if (options.missingShards) {
      body.push('', '> [!CAUTION]', `> **${options.missingShards} plan ${options.missingShards === 1 ? 'job' : 'jobs'} uploaded no plan**: their tenants are missing here; see the run's failed jobs.`);
    }
    if (failed.length) {
      body.push('', '> [!CAUTION]', '> **Failed to plan** (nothing of these tenants will be applied):',
        ...capped(failed.map((s) => `> - ${code(s.stack)}: ${(s.error ?? '').split('\n').find((l) => l.trim())?.slice(0, 200) ?? ''}`), detail.callout, (n) => `> ${seeArtifacts(n, 'failures')}`));
    }
    if (destroying.length) {
      body.push('', '> [!WARNING]', '> **Destroys**:', ...capped(destroying.map((s) => {
        const { destroy, destroys } = s.summary!;
        const shown = destroys.slice(0, detail.addresses).map(code).join(', ');
        const more = destroys.length > detail.addresses ? `${shown ? ' and ' : ''}${destroys.length - detail.addresses}${shown ? ' more' : ' resources'}` : '';
        return `> - ${code(s.stack)} (${destroy}): ${shown}${more}`;
      }), detail.callout, (n) => `> ${seeArtifacts(n, 'stacks with destroys')}`));
    }
    if (warnings.length) {
      body.push('', '> [!NOTE]', '> **Read before merging**:', ...capped(warnings.map((w) => `> - ${w}`), detail.callout, (n) => `> ${seeArtifacts(n, 'warnings')}`));
    }
    if (offboarding.length) {
      body.push('', '> [!IMPORTANT]', '> **Offboarding** (workload and compute destroyed; data kept until its date):',
        ...capped(offboarding.map((t) => `> - ${t.tenant}: data kept until ${t.offboarding}`), detail.callout, (n) => `> ${seeArtifacts(n, 'offboardings')}`));
    }
    if (notices.length) {
      body.push('', '> [!NOTE]', '> **Notices once applied** (words in `notifications/*.md`):', ...capped(notices.map((n) => `> - ${n}`), detail.callout, (n) => `> ${seeArtifacts(n, 'tenants notified')}`));
    }
    const shown = tenants.slice(0, detail.rows);
    if (tenants.length) body.push('', ...table(shown));
    else body.push('', 'No tenant, cell or pool stack is reached by this change.');
    if (detail.rows < tenants.length) body.push('', seeArtifacts(tenants.length - detail.rows, 'tenants'));
    if (detail.folds && shown.length) body.push('', ...shown.map(details));
    else if (tenants.length) body.push('', `Per-tenant detail is in ${artifacts}.`);
    return `${body.join('\n')}\n`;
  };

  const most = Math.max(failed.length, destroying.length, offboarding.length, warnings.length, notices.length);
  const maxAddresses = Math.max(0, ...destroying.map((s) => s.summary!.destroys.length));
  let detail: Detail = { rows: tenants.length, folds: true, addresses: Math.min(ADDRESSES_SHOWN, maxAddresses), callout: most };
  const fits = (d: Detail) => render(d).length <= limit;
  if (fits(detail)) return render(detail);
  detail = { ...detail, folds: false };
  for (const key of ['rows', 'addresses', 'callout'] as const) {
    if (fits(detail)) break;
    detail = { ...detail, [key]: largest(detail[key], (n) => fits({ ...detail, [key]: n })) };
  }
  return render(detail);
}

/** The largest n from 0 to `high` for which `ok(n)` holds (0 when none does); `ok` must be monotone. */
function largest(high: number, ok: (n: number) => boolean): number {
  let low = 0;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (ok(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}
