import type { GitHub } from './client';

/** What one check of the repository's settings found. */
export interface SettingsFinding {
  /** What was checked: `OIDC subject`, `environment production`, `branch tenancy-rollouts`. */
  readonly check: string;
  /** `missing` fails the doctor; a `warning` is reported and passes. */
  readonly status: 'ok' | 'warning' | 'missing';
  readonly detail: string;
  /** How to set it, as a `gh api` command where one does. */
  readonly fix?: string;
}

export interface RequiredSettings {
  /** The environments whose jobs become the deployer and the purger: each needs reviewers and the default branch alone. */
  readonly environments: readonly string[];
  /** The only branch that may deploy to them. */
  readonly defaultBranch: string;
  /** The branch the rollout record and the outbox live on: only GitHub Actions may push to it. */
  readonly rolloutBranch: string;
}

export interface RepositoryRef {
  readonly owner: string;
  readonly repo: string;
}

const statusOf = (error: unknown): number | undefined => (error as { status?: number }).status;

/** A request the token may not make, or whose object does not exist, as the check's finding. */
async function reading<T>(check: string, what: string, read: () => Promise<T>, missing: (status: number) => SettingsFinding | undefined): Promise<T | SettingsFinding> {
  try {
    return await read();
  } catch (error) {
    const status = statusOf(error);
    const found = status === undefined ? undefined : missing(status);
    if (found) return found;
    if (status === 401 || status === 403) {
      return { check, status: 'missing', detail: `cannot read ${what} with this token (${status})`, fix: 'run with a token of a repository administrator: GITHUB_TOKEN=$(gh auth token) npx tenancy doctor' };
    }
    throw error;
  }
}

const isFinding = (value: unknown): value is SettingsFinding => typeof value === 'object' && value !== null && 'check' in value && 'status' in value;

/**
 * The subject GitHub puts in the OIDC token of the repository's jobs: the control plane's trusts
 * match GitHub's default, `repo:OWNER/REPO:environment:NAME` (and `:pull_request`, `:ref:...`).
 * A repository or organization template, or the immutable subject, would change it, and every
 * workflow would be refused its role.
 */
async function oidcSubject(github: GitHub, ref: RepositoryRef): Promise<SettingsFinding> {
  const check = 'OIDC subject';
  const fix = `gh api -X PUT repos/${ref.owner}/${ref.repo}/actions/oidc/customization/sub -F use_default=true`;
  // The description GitHub publishes has sub_claim_prefix; the client's types do not yet.
  const repository = await reading(check, 'the repository\'s OIDC subject template', async () => (await github.rest.actions.getCustomOidcSubClaimForRepo({ ...ref })).data as { use_default: boolean; include_claim_keys?: string[]; sub_claim_prefix?: string }, () => undefined);
  if (isFinding(repository)) return repository;
  const prefix = `repo:${ref.owner}/${ref.repo}`;
  if (repository.sub_claim_prefix !== undefined && repository.sub_claim_prefix !== prefix) {
    return { check, status: 'missing', detail: `the subject starts ${repository.sub_claim_prefix}, not ${prefix} (the immutable subject?): the control plane's trusts name ${prefix}`, fix };
  }
  const defaultKeys = (keys: readonly string[] | undefined) => keys === undefined || (keys.length === 2 && keys[0] === 'repo' && keys[1] === 'context');
  if (repository.use_default) return { check, status: 'ok', detail: `GitHub's default template: ${prefix}:<context>` };
  if (repository.include_claim_keys !== undefined) {
    return defaultKeys(repository.include_claim_keys)
      ? { check, status: 'ok', detail: `the repository's template is the default one: ${prefix}:<context>` }
      : { check, status: 'missing', detail: `the repository's template gives ${repository.include_claim_keys.join(', ')}: the control plane's trusts match GitHub's default subject, ${prefix}:<context>`, fix };
  }
  // No template of its own: the organization's, if it has one.
  const organization = await reading(check, 'the organization\'s OIDC subject template', async () => (await github.rest.oidc.getOidcCustomSubTemplateForOrg({ org: ref.owner })).data, (status) => (status === 404 ? { check, status: 'ok', detail: 'no organization template: GitHub\'s default' } : undefined));
  if (isFinding(organization)) return organization.status === 'ok' ? organization : { ...organization, detail: `the repository takes the organization's template, and ${organization.detail}` };
  return defaultKeys(organization.include_claim_keys)
    ? { check, status: 'ok', detail: `the organization's template is the default one: ${prefix}:<context>` }
    : { check, status: 'missing', detail: `the repository takes the organization's template, which gives ${organization.include_claim_keys.join(', ')}: the control plane's trusts match GitHub's default subject`, fix };
}

/** An environment whose jobs hold a role that writes: it needs a reviewer's approval, and only the default branch may deploy to it. */
async function environment(github: GitHub, ref: RepositoryRef, name: string, branch: string): Promise<SettingsFinding[]> {
  const check = `environment ${name}`;
  const found = await reading(check, `environment ${name}`, async () => (await github.rest.repos.getEnvironment({ ...ref, environment_name: name })).data,
    (status) => (status === 404 ? { check, status: 'missing', detail: `there is no environment ${name}: its jobs would run without approval`, fix: `gh api -X PUT repos/${ref.owner}/${ref.repo}/environments/${name} --input environment.json (reviewers and "deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true})` } : undefined));
  if (isFinding(found)) return [found];
  const findings: SettingsFinding[] = [];
  const reviewers = (found.protection_rules ?? []).flatMap((rule) => ('reviewers' in rule && rule.type === 'required_reviewers' ? [rule] : []));
  const named = reviewers.flatMap((rule) => rule.reviewers ?? []);
  if (named.length === 0) {
    findings.push({ check, status: 'missing', detail: 'no required reviewers: its jobs run without anyone\'s approval', fix: `gh api -X PUT repos/${ref.owner}/${ref.repo}/environments/${name} --input environment.json (with "reviewers": [{"type": "Team", "id": <team id>}])` });
  } else {
    const names = named.map((r) => (r.reviewer && 'login' in r.reviewer ? r.reviewer.login : r.reviewer && 'slug' in r.reviewer ? r.reviewer.slug : '?'));
    findings.push({ check, status: 'ok', detail: `required reviewers: ${names.join(', ')}` });
    if (!reviewers.some((rule) => rule.prevent_self_review)) {
      findings.push({ check, status: 'warning', detail: 'whoever starts a run may approve it themselves', fix: `gh api -X PUT repos/${ref.owner}/${ref.repo}/environments/${name} --input environment.json (with "prevent_self_review": true)` });
    }
  }
  const policy = found.deployment_branch_policy;
  if (!policy) {
    findings.push({ check, status: 'missing', detail: 'every branch may deploy to it', fix: `gh api -X PUT repos/${ref.owner}/${ref.repo}/environments/${name} --input environment.json (with "deployment_branch_policy": {"protected_branches": false, "custom_branch_policies": true}), then gh api -X POST repos/${ref.owner}/${ref.repo}/environments/${name}/deployment-branch-policies -f name=${branch} -f type=branch` });
  } else if (policy.protected_branches) {
    findings.push({ check, status: 'warning', detail: `every protected branch may deploy to it, not only ${branch} (the control plane's trust still refuses any other branch)` });
  } else {
    const { data } = await github.rest.repos.listDeploymentBranchPolicies({ ...ref, environment_name: name, per_page: 100 });
    const others = data.branch_policies.filter((p) => !(p.name === branch && (p.type ?? 'branch') === 'branch')).map((p) => `${p.type ?? 'branch'} ${p.name}`);
    const main = data.branch_policies.some((p) => p.name === branch && (p.type ?? 'branch') === 'branch');
    if (others.length) findings.push({ check, status: 'missing', detail: `deploys from ${others.join(', ')} besides ${branch}`, fix: `gh api -X DELETE repos/${ref.owner}/${ref.repo}/environments/${name}/deployment-branch-policies/<id> for each` });
    else if (!main) findings.push({ check, status: 'missing', detail: `no branch may deploy to it: ${branch} is not listed`, fix: `gh api -X POST repos/${ref.owner}/${ref.repo}/environments/${name}/deployment-branch-policies -f name=${branch} -f type=branch` });
    else findings.push({ check, status: 'ok', detail: `only ${branch} deploys to it` });
  }
  return findings;
}

/**
 * The rollout branch holds the record and the outbox the workflows read back: tenancy checks
 * them, but anyone who may push to it can still stop a rollout with a refused record. A branch
 * protection that lets no person or team push, or a ruleset that restricts updates, closes that.
 */
async function rolloutBranch(github: GitHub, ref: RepositoryRef, branch: string): Promise<SettingsFinding> {
  const check = `branch ${branch}`;
  const fix = `a ruleset on refs/heads/${branch} restricting updates, with the GitHub Actions app as its only bypass actor (gh api -X POST repos/${ref.owner}/${ref.repo}/rulesets --input ruleset.json)`;
  const rules = await reading(check, `the rules of ${branch}`, async () => (await github.rest.repos.getBranchRules({ ...ref, branch, per_page: 100 })).data, () => undefined);
  if (isFinding(rules)) return rules;
  if (rules.some((rule) => rule.type === 'update')) return { check, status: 'ok', detail: 'a ruleset restricts updates to its bypass actors (GitHub Actions must be one)' };
  const protection = await reading(check, `the protection of ${branch}`, async () => (await github.rest.repos.getBranchProtection({ ...ref, branch })).data, (status) => (status === 404 ? { check, status: 'missing', detail: 'anyone with push access may write the rollout record and the outbox: a record tenancy refuses stops the rollout', fix } : undefined));
  if (isFinding(protection)) return protection;
  const restrictions = protection.restrictions;
  if (restrictions && restrictions.users.length === 0 && restrictions.teams.length === 0) {
    return { check, status: 'ok', detail: `only ${restrictions.apps.map((a) => a?.slug ?? '?').join(', ') || 'no one'} may push to it` };
  }
  return {
    check, status: 'missing',
    detail: restrictions ? `people may push to it: ${[...restrictions.users.map((u) => u.login), ...restrictions.teams.map((t) => t.slug)].join(', ')}` : 'it is protected, but anyone with push access may still push to it',
    fix,
  };
}

/**
 * What tenancy needs of the repository's settings, read through the API: the OIDC subject its
 * trusts match, environments whose approval the deployer and the purger wait for and which only
 * the default branch may use, and a rollout branch only GitHub Actions writes.
 */
export async function checkRepositorySettings(github: GitHub, ref: RepositoryRef, required: RequiredSettings): Promise<SettingsFinding[]> {
  const environments = await Promise.all(required.environments.map((name) => environment(github, ref, name, required.defaultBranch)));
  return [await oidcSubject(github, ref), ...environments.flat(), await rolloutBranch(github, ref, required.rolloutBranch)];
}
