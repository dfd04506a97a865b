import { describe, expect, it } from 'vitest';
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
    expect(body).toMatch(/> - … and \d+ more offboardings: see/);
    expect(body).not.toContain('| tenant-');
  });
});
