import { GitHubStandIn, type StoredEnvironment } from '@tenancy/github/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../testing/run-cli';

/** An environment as the trust chain needs it: a reviewer who may not approve their own run, main alone. */
const guarded = (): StoredEnvironment => ({ reviewers: ['octo-sre'], preventSelfReview: true, branchPolicy: { protected_branches: false, custom_branch_policies: true }, branchPolicies: [{ name: 'main', type: 'branch' }] });

/**
 * `tenancy doctor` against the GitHub stand-in: every request it makes, and every answer the
 * stand-in gives it, checked against GitHub's OpenAPI description.
 */
describe('tenancy doctor: the repository settings the trust chain needs', () => {
  let api: GitHubStandIn;
  const doctor = () => runCliAsync(['doctor'], { env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: api.url } });
  /** The table's rows, as `check | status | found`. */
  const rows = (stdout: string) => stdout.split('\n').filter((line) => /^(OIDC subject|environment \S+|branch \S+)\s{2,}(ok|warning|missing)\s/.test(line)).map((line) => line.replace(/\s{2,}/g, ' | '));

  beforeAll(async () => { api = await GitHubStandIn.start(); });
  afterEach(() => {
    expect(api.violations).toEqual([]);
    api.reset();
  });
  afterAll(async () => { await api.close(); });

  function configure(): void {
    api.settings.environments.set('production', guarded());
    api.settings.environments.set('purge', guarded());
    api.settings.branchRules.set('tenancy-rollouts', [{ type: 'update' }]);
  }

  it('passes a repository set up as the README says, reading platform.yaml\'s repository', async () => {
    configure();
    const run = await doctor();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('example-saas/tenants: what tenancy\'s trust chain needs');
    expect(rows(run.stdout)).toEqual([
      'OIDC subject | ok | GitHub\'s default template: repo:example-saas/tenants:<context>',
      'environment production | ok | required reviewers: octo-sre',
      'environment production | ok | only main deploys to it',
      'environment purge | ok | required reviewers: octo-sre',
      'environment purge | ok | only main deploys to it',
      'branch tenancy-rollouts | ok | a ruleset restricts updates to its bypass actors (GitHub Actions must be one)',
    ]);
    expect(run.stdout).toContain('nothing missing');
    expect(api.calls('repos/get-environment').map((r) => r.path)).toEqual(['/repos/example-saas/tenants/environments/production', '/repos/example-saas/tenants/environments/purge']);
  });

  it('fails a repository left as GitHub makes it, and says how to set each thing', async () => {
    const run = await doctor();
    expect(run.status).toBe(1);
    expect(rows(run.stdout)).toEqual([
      'OIDC subject | ok | GitHub\'s default template: repo:example-saas/tenants:<context>',
      'environment production | missing | there is no environment production: its jobs would run without approval',
      'environment purge | missing | there is no environment purge: its jobs would run without approval',
      'branch tenancy-rollouts | missing | anyone with push access may write the rollout record and the outbox: a record tenancy refuses stops the rollout',
    ]);
    expect(run.stdout).toMatch(/^environment production: gh api -X PUT repos\/example-saas\/tenants\/environments\/production/m);
    expect(run.stdout).toContain('3 settings missing');
  });

  it('finds each way a setting falls short', async () => {
    configure();
    api.settings.oidcSubject = { use_default: false, include_claim_keys: ['repo', 'context', 'job_workflow_ref'] };
    api.settings.environments.set('production', { ...guarded(), preventSelfReview: false, branchPolicies: [{ name: 'main', type: 'branch' }, { name: 'release/*', type: 'branch' }] });
    api.settings.environments.set('purge', { ...guarded(), reviewers: [], branchPolicy: { protected_branches: true, custom_branch_policies: false } });
    api.settings.branchRules.set('tenancy-rollouts', []);
    api.settings.branchProtections.set('tenancy-rollouts', { restrictions: { users: ['octocat'], teams: [], apps: ['github-actions'] } });
    const run = await doctor();
    expect(run.status).toBe(1);
    expect(rows(run.stdout)).toEqual([
      'OIDC subject | missing | the repository\'s template gives repo, context, job_workflow_ref: the control plane\'s trusts match GitHub\'s default subject, repo:example-saas/tenants:<context>',
      'environment production | ok | required reviewers: octo-sre',
      'environment production | warning | whoever starts a run may approve it themselves',
      'environment production | missing | deploys from branch release/* besides main',
      'environment purge | missing | no required reviewers: its jobs run without anyone\'s approval',
      'environment purge | warning | every protected branch may deploy to it, not only main (the control plane\'s trust still refuses any other branch)',
      'branch tenancy-rollouts | missing | people may push to it: octocat',
    ]);
    expect(run.stdout).toContain('OIDC subject: gh api -X PUT repos/example-saas/tenants/actions/oidc/customization/sub -F use_default=true');
  });

  it('follows a repository without a template of its own to its organization\'s, and passes a locked branch that only GitHub Actions pushes to', async () => {
    configure();
    api.settings.branchRules.set('tenancy-rollouts', []);
    api.settings.branchProtections.set('tenancy-rollouts', { restrictions: { users: [], teams: [], apps: ['github-actions'] } });
    api.settings.oidcSubject = { use_default: false };
    api.settings.organizationOidcSubject = { include_claim_keys: ['repository_owner_id', 'context'] };
    const customized = await doctor();
    expect(rows(customized.stdout)[0]).toBe('OIDC subject | missing | the repository takes the organization\'s template, which gives repository_owner_id, context: the control plane\'s trusts match GitHub\'s default subject');
    expect(rows(customized.stdout).at(-1)).toBe('branch tenancy-rollouts | ok | only github-actions may push to it');
    api.settings.organizationOidcSubject = { include_claim_keys: ['repo', 'context'] };
    const plain = await doctor();
    expect(plain.status, plain.stdout).toBe(0);
    expect(rows(plain.stdout)[0]).toBe('OIDC subject | ok | the organization\'s template is the default one: repo:example-saas/tenants:<context>');
  });

  it('fails, saying so, where the token may not read a setting', async () => {
    configure();
    api.settings.forbidden.add('repos/get-environment');
    const run = await doctor();
    expect(run.status).toBe(1);
    expect(rows(run.stdout).filter((r) => r.startsWith('environment'))).toEqual([
      'environment production | missing | cannot read environment production with this token (403)',
      'environment purge | missing | cannot read environment purge with this token (403)',
    ]);
    expect(run.stdout).toContain('GITHUB_TOKEN=$(gh auth token) npx tenancy doctor');
  });
});
