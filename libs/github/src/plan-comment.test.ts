import { describe, expect, it } from 'vitest';
import type { PlannedStack, PlanRun } from '@tenancy/lifecycle';
import { PLAN_COMMENT_MARKER, renderPlanComment } from './plan-comment';

/** GitHub's limit on a comment's body, in characters: written out, so a wrong constant in the code cannot pass. */
const GITHUB_LIMIT = 65_536;
import { generatedPlanRuns } from './testing/generated-plan';

const ARTIFACTS = 'https://github.com/acme/fleet/actions/runs/1';

describe('the plan comment', () => {
  it('shows a small change whole: totals, a destroy and an offboarding called out, a fold per tenant', () => {
    const body = renderPlanComment(generatedPlanRuns({ tenants: 3, offboardEvery: 3 }), { artifactsUrl: ARTIFACTS });
    const lines = body.split('\n');
    expect(lines[0]).toBe(PLAN_COMMENT_MARKER);
    expect(lines[3]).toBe('**3 tenants, 4 stacks: 0 to add, 4 to change, 17 to destroy**');
    expect(body).toContain('> - `tenant-tenant-00003-workload` (14): `kubernetes_deployment.resource_0`');
    expect(body).toContain('and 4 more');
    expect(body).toContain('> - tenant-00003: data kept until 2027-02-01');
    expect(body.indexOf('Destroys')).toBeLessThan(body.indexOf('| tenant |'));
    expect(body.match(/<details>/g)).toHaveLength(3);
    expect(body).not.toContain(ARTIFACTS);
  });

  it('asks the reviewer to read the change\'s warnings, once whatever the shards', () => {
    const warning = 'tenants/wonka.yaml is deleted and tenants/newco.yaml added with nearly the same content: wonka is offboarded and newco onboarded, not renamed';
    const runs = generatedPlanRuns({ tenants: 4, shards: 2 }).map((run) => ({ ...run, warnings: [warning] }));
    const body = renderPlanComment(runs);
    expect(body).toContain(`> [!NOTE]\n> **Read before merging**:\n> - ${warning}\n`);
    expect(body.split(warning)).toHaveLength(2);
    expect(renderPlanComment(generatedPlanRuns({ tenants: 4, shards: 2 }))).not.toContain('Read before merging');
  });

  it('lists who the change will tell what once applied, one line per tenant, however many shards computed it', () => {
    const notices = [
      { tenant: 'oscorp', event: 'upgrade-scheduled', to: ['it@oscorp.example'] },
      { tenant: 'oscorp', event: 'upgraded', to: ['it@oscorp.example'] },
      { tenant: 'newco', event: 'onboarded', to: ['ops@newco.example', 'webhook'] },
    ];
    const body = renderPlanComment(generatedPlanRuns({ tenants: 4, shards: 2 }).map((run) => ({ ...run, notices })));
    expect(body).toContain('> **Notices once applied** (words in `notifications/*.md`):\n> - newco: onboarded → ops@newco.example, webhook\n> - oscorp: upgrade-scheduled, upgraded → it@oscorp.example\n');
    expect(renderPlanComment(generatedPlanRuns({ tenants: 4 }))).not.toContain('Notices once applied');
  });

  it('keeps a 5,000-tenant change under GitHub\'s limit, trimming detail before any callout', () => {
    const runs = generatedPlanRuns({ tenants: 5_000, shards: 25 });
    const body = renderPlanComment(runs, { artifactsUrl: ARTIFACTS });
    expect(body.length).toBeLessThanOrEqual(GITHUB_LIMIT);
    expect(body.length).toBeGreaterThan(GITHUB_LIMIT * 0.9);
    expect(body).toContain('**5000 tenants, 5100 stacks: 0 to add, 9770 to change, 1700 to destroy** · **15 failed**');
    // Every one of the 15 failures, 200 stacks with destroys and 100 offboardings is still named.
    expect(body.match(/^> - `tenant-tenant-\d+-workload`: Error/gm)).toHaveLength(15);
    expect(body.match(/^> - `tenant-tenant-\d+-(workload|compute)` \(\d+\)/gm)).toHaveLength(200);
    expect(body.match(/^> - tenant-\d+: data kept until 2027-02-01$/gm)).toHaveLength(100);
    expect(body).not.toContain('<details>');
    expect(body).toMatch(/- … and \d+ more tenants: see \[plans and summaries\]\(https:\/\/github.com\/acme\/fleet\/actions\/runs\/1\)/);
  });

  it('stays under any limit by cutting callouts last, and says how many it left out', () => {
    const body = renderPlanComment(generatedPlanRuns({ tenants: 5_000, offboardEvery: 2 }), { maxChars: 8_000, artifactsUrl: ARTIFACTS });
    expect(body.length).toBeLessThanOrEqual(8_000);
    expect(body).toContain('**5000 tenants');
    // The offboardings named and the ones counted add up to the 2,500 offboarded.
    const named = body.match(/^> - tenant-\d+: data kept until/gm)!.length;
    expect(named).toBeGreaterThan(0);
    expect(body).toContain(`> - … and ${2_500 - named} more offboardings: see`);
    expect(body).not.toContain('| tenant-');
  });
});

/** An error line longer than the 200 characters a failure's line shows. */
const LONG_ERROR = `Error: \`AccessDenied\` ${'x'.repeat(300)}`;

/** A small change of every kind, written by hand so that each line of the comment can be checked. */
function everyKindOfChange(): PlanRun[] {
  const summary = (add: number, change: number, destroys: string[]) => ({ add, change, destroy: destroys.length, destroys, replaces: [] });
  const stacks: PlannedStack[] = [
    { stack: 'tenant-acme-data', kind: 'data', tenant: 'acme', action: 'apply', status: 'planned', reasons: ['cost-center changed', 'tier changed'], summary: summary(1, 2, []) },
    { stack: 'tenant-acme-workload', kind: 'workload', tenant: 'acme', action: 'apply', status: 'skipped', reason: 'offline', reasons: [] },
    { stack: 'tenant-wonka-workload', kind: 'workload', tenant: 'wonka', action: 'destroy', status: 'planned', retainUntil: '2027-01-31T12:00:00.000Z', reasons: ['offboarded'], summary: summary(0, 0, Array.from({ length: 12 }, (_, i) => `kubernetes_manifest.m${i}`)) },
    { stack: 'tenant-stark-data', kind: 'data', tenant: 'stark', action: 'apply', status: 'failed', reasons: [] },
    { stack: 'tenant-stark-compute', kind: 'compute', tenant: 'stark', action: 'apply', status: 'failed', error: `\n  \n${LONG_ERROR}\nsecond line`, reasons: [] },
    { stack: 'tenant-stark-workload', kind: 'workload', tenant: 'stark', action: 'apply', status: 'skipped', reasons: [] },
    { stack: 'cell-blue`1', kind: 'cell', action: 'apply', status: 'planned', reasons: ['platform release'], summary: summary(0, 1, ['aws_instance.old']) },
  ];
  return [
    { base: '1234567890abcdef', head: 'fedcba0987654321', offline: false, plannedAt: '2026-12-07T10:00:00.000Z', stacks: stacks.slice(0, 3), warnings: ['read me'], notices: [{ tenant: 'wonka', event: 'offboarded', to: [] }] },
    { base: '1234567890abcdef', head: 'fedcba0987654321', offline: true, plannedAt: '2026-12-07T10:00:00.000Z', stacks: stacks.slice(3), warnings: ['read me'] },
  ];
}

describe('the plan comment, line by line', () => {
  it('renders every kind of change: failures first, then destroys, warnings, offboardings, notices, the table and the folds', () => {
    expect(renderPlanComment(everyKindOfChange(), { missingShards: 1 })).toBe([
      PLAN_COMMENT_MARKER,
      '### tenancy plan `1234567..fedcba0`',
      '',
      '**4 tenants, 7 stacks: 1 to add, 3 to change, 13 to destroy** · **2 failed** · offline plan',
      '',
      '> [!CAUTION]',
      '> **1 plan job uploaded no plan**: their tenants are missing here; see the run\'s failed jobs.',
      '',
      '> [!CAUTION]',
      '> **Failed to plan** (nothing of these tenants will be applied):',
      `> - \`tenant-stark-compute\`: ${LONG_ERROR.slice(0, 200)}`,
      '> - `tenant-stark-data`: ',
      '',
      '> [!WARNING]',
      '> **Destroys**:',
      "> - `cell-blue'1` (1): `aws_instance.old`",
      '> - `tenant-wonka-workload` (12): ' + Array.from({ length: 10 }, (_, i) => `\`kubernetes_manifest.m${i}\``).join(', ') + ' and 2 more',
      '',
      '> [!NOTE]',
      '> **Read before merging**:',
      '> - read me',
      '',
      '> [!IMPORTANT]',
      '> **Offboarding** (workload and compute destroyed; data kept until its date):',
      '> - wonka: data kept until 2027-01-31',
      '',
      '> [!NOTE]',
      '> **Notices once applied** (words in `notifications/*.md`):',
      '> - wonka: offboarded → nobody',
      '',
      '| tenant | stacks | plan |',
      '|---|---|---|',
      '| stark | data, compute, workload | **failed** |',
      '| wonka | -workload | +0 ~0 -12 |',
      '| cell-blue`1 | cell | +0 ~1 -1 |',
      '| acme | data, workload | +1 ~2 -0 |',
      '',
      '<details><summary><b>stark</b> +0 ~0 -0 — failed</summary>',
      '',
      '- `tenant-stark-data` (apply): **failed**',
      '- `tenant-stark-compute` (apply): **failed**',
      '- `tenant-stark-workload` (apply): skipped: ',
      '',
      '</details>',
      '<details><summary><b>wonka</b> +0 ~0 -12</summary>',
      '',
      '- `tenant-wonka-workload` (destroy): +0 ~0 -12 — offboarded',
      '',
      '</details>',
      '<details><summary><b>cell-blue`1</b> +0 ~1 -1</summary>',
      '',
      "- `cell-blue'1` (apply): +0 ~1 -1 — platform release",
      '',
      '</details>',
      '<details><summary><b>acme</b> +1 ~2 -0</summary>',
      '',
      '- `tenant-acme-data` (apply): +1 ~2 -0 — cost-center changed; tier changed',
      '- `tenant-acme-workload` (apply): skipped: offline',
      '',
      '</details>',
      '',
    ].join('\n'));
  });

  it('counts the plan jobs that uploaded nothing, and says nothing of them when every job did', () => {
    expect(renderPlanComment(everyKindOfChange(), { missingShards: 3 })).toContain('> **3 plan jobs uploaded no plan**');
    expect(renderPlanComment(everyKindOfChange())).not.toContain('uploaded no plan');
  });

  it('says so when no stack is reached, and leaves out the callouts that have nothing to say', () => {
    const run = { base: '1234567890abcdef', head: 'fedcba0987654321', offline: false, plannedAt: '2026-12-07T10:00:00.000Z', stacks: [] };
    expect(renderPlanComment([run])).toBe([
      PLAN_COMMENT_MARKER, '### tenancy plan `1234567..fedcba0`', '', '**0 tenants, 0 stacks: 0 to add, 0 to change, 0 to destroy**', '',
      'No tenant, cell or pool stack is reached by this change.', '',
    ].join('\n'));
    expect(renderPlanComment([])).toBe([PLAN_COMMENT_MARKER, '### tenancy plan ', '', '**0 tenants, 0 stacks: 0 to add, 0 to change, 0 to destroy**', '', 'No tenant, cell or pool stack is reached by this change.', ''].join('\n'));
  });

  it('gives up the folds first, then table rows, then destroyed addresses, then callout lines: each the most that fits', () => {
    const runs = everyKindOfChange();
    const whole = renderPlanComment(runs);
    const withoutFolds = whole.slice(0, whole.indexOf('<details>')) + 'Per-tenant detail is in the run\'s artifacts.\n';
    expect(renderPlanComment(runs, { maxChars: withoutFolds.length })).toBe(withoutFolds);
    expect(renderPlanComment(runs, { maxChars: whole.length })).toBe(whole);
    expect(renderPlanComment(runs, { maxChars: whole.length - 1 })).toBe(withoutFolds);

    // Rows are given up from the end, each replaced by a count, and as many are kept as fit.
    const table = withoutFolds.slice(withoutFolds.indexOf('| tenant |'), withoutFolds.indexOf('\n\nPer-tenant'));
    const keepingRows = (n: number) => withoutFolds.replace(table, [...table.split('\n').slice(0, 2 + n), '', `- … and ${4 - n} more tenants: see the run's artifacts`].join('\n'));
    for (const rows of [2, 1]) {
      expect(renderPlanComment(runs, { maxChars: keepingRows(rows).length })).toBe(keepingRows(rows));
      expect(renderPlanComment(runs, { maxChars: keepingRows(rows).length - 1 })).toBe(keepingRows(rows - 1));
    }

    // No rows left: then the destroyed addresses go, as many kept as fit, down to a count.
    const noRows = keepingRows(0);
    const wonka = Array.from({ length: 10 }, (_, i) => `\`kubernetes_manifest.m${i}\``);
    const keepingAddresses = (n: number) => noRows
      .replace(`(12): ${wonka.join(', ')} and 2 more`, n ? `(12): ${wonka.slice(0, n).join(', ')} and ${12 - n} more` : '(12): 12 resources')
      .replace('(1): `aws_instance.old`', n ? '(1): `aws_instance.old`' : '(1): 1 resources');
    expect(renderPlanComment(runs, { maxChars: noRows.length - 1 })).toBe(keepingAddresses(9));
    expect(renderPlanComment(runs, { maxChars: keepingAddresses(1).length })).toBe(keepingAddresses(1));
    expect(renderPlanComment(runs, { maxChars: keepingAddresses(1).length - 1 })).toBe(keepingAddresses(0));
  });

  it('replaces callout lines by a count only when nothing else is left to give up', () => {
    const runs = everyKindOfChange();
    const tiny = renderPlanComment(runs, { maxChars: 1, artifactsUrl: ARTIFACTS });
    expect(tiny).toContain(`> - … and 2 more stacks with destroys: see [plans and summaries](${ARTIFACTS})`);
    expect(tiny).toContain(`> - … and 2 more failures: see [plans and summaries](${ARTIFACTS})`);
    expect(tiny).toContain(`> - … and 1 more warnings: see`);
    expect(tiny).toContain(`> - … and 1 more offboardings: see`);
    expect(tiny).toContain(`> - … and 1 more tenants notified: see`);
    expect(tiny).toContain(`- … and 4 more tenants: see`);
    expect(tiny).toContain(`Per-tenant detail is in [plans and summaries](${ARTIFACTS}).`);
  });
});
