import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { githubOperations, type Operation } from './openapi-operations';

/** A request the stand-in received, with what GitHub's description says is wrong with it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  /** The operation it calls, or undefined when GitHub has no such operation. */
  readonly operation?: string;
  readonly violations: readonly string[];
}

/** An answer forced onto the next `times` requests of an operation: a 5xx, a rate limit, a 404. */
export interface Fault {
  readonly operation: string;
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly message?: string;
  /** @default 1 */
  readonly times?: number;
}

export interface StoredComment { id: number; body: string; user: { login: string; type: 'Bot' | 'User' } }
export interface StoredIssue { number: number; title: string; body: string; state: 'open' | 'closed'; state_reason?: string | null; labels: string[]; comments: StoredComment[]; pull_request?: object }
/** A file on a branch: what the contents API keeps. */
export interface StoredFile { content: string; sha: string }

/** Branches with their head commits, and files by `branch:path`. */
export interface BranchState { readonly branches: ReadonlyMap<string, string>; readonly files: ReadonlyMap<string, StoredFile> }

export interface StoredRun { id: number; head_sha: string; head_branch: string; conclusion: 'success' | 'failure' | 'cancelled'; workflow: string; /** @default push */ event?: string }

const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };

/** An environment's settings, as the repository's administrators set them. */
export interface StoredEnvironment {
  reviewers: string[];
  preventSelfReview: boolean;
  /** null: every branch may deploy. */
  branchPolicy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branchPolicies: { name: string; type: 'branch' | 'tag' }[];
}

/** The settings `tenancy doctor` reads. */
export interface StoredSettings {
  oidcSubject: { use_default: boolean; include_claim_keys?: string[]; sub_claim_prefix?: string };
  /** The organization's template; undefined: it has none (GitHub answers 404). */
  organizationOidcSubject?: { include_claim_keys: string[] };
  environments: Map<string, StoredEnvironment>;
  /** Classic branch protections, by branch: who besides administrators may push. */
  branchProtections: Map<string, { restrictions?: { users: string[]; teams: string[]; apps: string[] } }>;
  /** Rules of rulesets that apply to a branch, by branch. */
  branchRules: Map<string, { type: string }[]>;
  /** Operations the token may not call (GitHub answers 403). */
  forbidden: Set<string>;
}

/** Operations the stand-in answers in full: each answer is checked against GitHub's description, as requests are. */
const FULL_ANSWERS = new Set([
  'actions/get-custom-oidc-sub-claim-for-repo', 'oidc/get-oidc-custom-sub-template-for-org', 'repos/get-environment', 'repos/list-deployment-branch-policies',
  'repos/get-branch-protection', 'repos/get-branch-rules',
]);

/**
 * A local HTTP server on loopback standing in for the GitHub REST API. Every request is matched
 * against GitHub's own OpenAPI description: an unknown operation, a bad path or query parameter
 * or a body that does not match the operation's schema is recorded as a violation (and answered
 * 404 or 422 as GitHub would). It keeps issues, comments and workflow runs in memory.
 */
export class GitHubStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly issues = new Map<number, StoredIssue>();
  readonly runs: StoredRun[] = [];
  /** Branches by name, each with its head commit. */
  readonly branches = new Map<string, string>();
  /** Files by `branch:path`. */
  readonly files = new Map<string, StoredFile>();
  /** Workflow dispatches asked for, in order. */
  readonly dispatches: { workflow: string; ref: string; inputs: Record<string, unknown> }[] = [];
  /** The repository's settings: by default, GitHub's defaults (no environment, no protection). */
  readonly settings: StoredSettings = emptySettings();
  private readonly faults: (Fault & { left: number })[] = [];
  private nextId = 1000;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<GitHubStandIn> {
    githubOperations();
    let standIn: GitHubStandIn | undefined;
    const server = createServer((req, res) => {
      // A fault in the stand-in must fail the test, not leave the client waiting for an answer.
      standIn!.handle(req, res).catch((error: Error) => {
        standIn!.requests.push({ method: req.method ?? '?', path: req.url ?? '?', query: {}, body: undefined, violations: [`the stand-in failed: ${error.message}`] });
        send(res, 500, { message: error.message });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn = new GitHubStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return standIn;
  }

  /** Every violation of GitHub's description among the requests received. */
  get violations(): string[] {
    return this.requests.flatMap((r) => r.violations.map((v) => `${r.method} ${r.path}: ${v}`));
  }

  /** Requests that called an operation, such as `issues/create-comment`. */
  calls(operation: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  fail(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Forgets requests, faults, dispatches and branches (with their files): a repository's rollout record is its own. */
  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
    this.branches.clear();
    this.files.clear();
    this.dispatches.length = 0;
    Object.assign(this.settings, emptySettings());
  }

  /** The branches and their files as they are now, for `restoreBranches`. */
  branchState(): BranchState {
    return { branches: new Map(this.branches), files: new Map([...this.files].map(([key, file]) => [key, { ...file }])) };
  }

  /** Puts back the branches and files of `branchState`, forgetting any since. */
  restoreBranches(state: BranchState): void {
    this.branches.clear();
    this.files.clear();
    for (const [name, sha] of state.branches) this.branches.set(name, sha);
    for (const [key, file] of state.files) this.files.set(key, { ...file });
  }

  /** A pull request (an issue with a pull_request key), optionally with comments already on it. */
  pullRequest(number: number, comments: { body: string; user?: StoredComment['user'] }[] = []): StoredIssue {
    const issue: StoredIssue = { number, title: `PR ${number}`, body: '', state: 'open', labels: [], pull_request: {}, comments: [] };
    for (const c of comments) issue.comments.push({ id: this.nextId++, body: c.body, user: c.user ?? BOT });
    this.issues.set(number, issue);
    return issue;
  }

  workflowRun(run: Omit<StoredRun, 'id'>): void {
    this.runs.unshift({ ...run, id: this.nextId++ });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const text = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    const body: unknown = text ? JSON.parse(text) : undefined;
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const violations: string[] = [];
    let found: { operation: Operation; params: Record<string, string> } | undefined;
    for (const operation of githubOperations().get(method) ?? []) {
      const params = operation.match(url.pathname);
      if (params) { found = { operation, params }; break; }
    }
    if (!found) {
      violations.push('GitHub has no such operation');
      this.requests.push({ method, path: url.pathname, query, body, violations });
      return send(res, 404, { message: 'Not Found' });
    }
    const { operation, params } = found;
    violations.push(...checkRequest(operation, params, query, body));
    this.requests.push({ method, path: url.pathname, query, body, operation: operation.id, violations });
    if (violations.length) return send(res, 422, { message: 'Validation Failed', errors: violations });

    const fault = this.faults.find((f) => f.operation === operation.id && f.left > 0);
    if (fault) {
      fault.left -= 1;
      return send(res, fault.status, { message: fault.message ?? 'fault' }, fault.headers);
    }
    if (this.settings.forbidden.has(operation.id)) return send(res, 403, { message: 'Resource not accessible by integration' });
    const answer = this.answer(operation.id, params, url, body as Record<string, unknown> | undefined, req.headers.accept ?? '') ?? this.answerSettings(operation.id, params);
    if (answer && answer.status === 200 && FULL_ANSWERS.has(operation.id) && operation.validateAnswer && !operation.validateAnswer(structuredClone(answer.body))) {
      violations.push(`the stand-in's answer does not match GitHub's description: ${formatErrors(operation.validateAnswer.errors)}`);
    }
    return answer ? send(res, answer.status, answer.body, answer.headers) : send(res, 501, { message: `the stand-in does not implement ${operation.id}` });
  }

  private answer(operation: string, params: Record<string, string>, url: URL, body: Record<string, unknown> | undefined, accept: string):
    { status: number; body: unknown; headers?: Record<string, string> } | undefined {
    const query = Object.fromEntries(url.searchParams);
    const issue = this.issues.get(Number(params.issue_number));
    switch (operation) {
      case 'issues/list-comments':
        return issue ? page(issue.comments.map(commentJson), url) : notFound();
      case 'issues/create-comment': {
        if (!issue) return notFound();
        if (String(body!.body).length > GITHUB_BODY_LIMIT) return bodyTooLong();
        const comment = { id: this.nextId++, body: String(body!.body), user: BOT };
        issue.comments.push(comment);
        return { status: 201, body: commentJson(comment) };
      }
      case 'issues/update-comment': {
        const comment = [...this.issues.values()].flatMap((i) => i.comments).find((c) => c.id === Number(params.comment_id));
        if (!comment) return notFound();
        if (String(body!.body).length > GITHUB_BODY_LIMIT) return bodyTooLong();
        comment.body = String(body!.body);
        return { status: 200, body: commentJson(comment) };
      }
      case 'issues/list-for-repo': {
        const labels = query.labels ? query.labels.split(',') : [];
        const state = query.state ?? 'open';
        const list = [...this.issues.values()].filter((i) => (state === 'all' || i.state === state) && labels.every((l) => i.labels.includes(l)));
        return page(list.map(issueJson), url);
      }
      case 'issues/create': {
        const created: StoredIssue = { number: this.nextId++, title: String(body!.title), body: String(body!.body ?? ''), state: 'open', labels: (body!.labels as string[] | undefined) ?? [], comments: [] };
        this.issues.set(created.number, created);
        return { status: 201, body: issueJson(created) };
      }
      case 'issues/update': {
        if (!issue) return notFound();
        if (body!.body !== undefined) issue.body = String(body!.body);
        if (body!.state !== undefined) issue.state = body!.state as StoredIssue['state'];
        if (body!.state_reason !== undefined) issue.state_reason = body!.state_reason as string;
        return { status: 200, body: issueJson(issue) };
      }
      case 'git/get-ref': {
        const branch = params.ref!.replace(/^heads\//, '');
        const sha = this.branches.get(branch);
        return sha ? { status: 200, body: { ref: `refs/heads/${branch}`, object: { sha, type: 'commit' } } } : { status: 404, body: { message: 'Not Found' } };
      }
      case 'git/create-ref': {
        const branch = String(body!.ref).replace(/^refs\/heads\//, '');
        if (this.branches.has(branch)) return { status: 422, body: { message: 'Reference already exists' } };
        this.branches.set(branch, String(body!.sha));
        return { status: 201, body: { ref: body!.ref, object: { sha: body!.sha, type: 'commit' } } };
      }
      case 'repos/get-content': {
        const branch = query.ref ?? 'main';
        const file = this.files.get(`${branch}:${params.path}`);
        if (!this.branches.has(branch) || !file) return { status: 404, body: { message: 'Not Found' } };
        if (accept.includes('raw')) return { status: 200, body: file.content, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
        return { status: 200, body: { type: 'file', path: params.path, sha: file.sha, encoding: 'base64', content: Buffer.from(file.content).toString('base64') } };
      }
      case 'repos/create-or-update-file-contents': {
        const branch = String(body!.branch ?? 'main');
        if (!this.branches.has(branch)) return { status: 404, body: { message: `Branch ${branch} not found` } };
        const key = `${branch}:${params.path}`;
        const current = this.files.get(key);
        if (current && body!.sha !== current.sha) return { status: 409, body: { message: `${params.path} does not match ${String(body!.sha)}` } };
        if (!current && body!.sha !== undefined) return { status: 422, body: { message: 'sha given for a file that does not exist' } };
        const sha = createHash('sha1').update(String(body!.content)).update(String(this.nextId++)).digest('hex');
        this.files.set(key, { content: Buffer.from(String(body!.content), 'base64').toString('utf8'), sha });
        this.branches.set(branch, createHash('sha1').update(sha).digest('hex'));
        return { status: current ? 200 : 201, body: { content: { path: params.path, sha }, commit: { sha: this.branches.get(branch), message: body!.message } } };
      }
      case 'actions/create-workflow-dispatch':
        this.dispatches.push({ workflow: params.workflow_id!, ref: String(body!.ref), inputs: (body!.inputs ?? {}) as Record<string, unknown> });
        return { status: 204, body: '' };
      case 'actions/list-workflow-runs': {
        const runs = this.runs.filter((r) => r.workflow === params.workflow_id && (!query.branch || r.head_branch === query.branch)
          && (!query.status || r.conclusion === query.status) && (!query.event || (r.event ?? 'push') === query.event));
        const shown = runs.slice(0, Number(query.per_page ?? 30));
        return { status: 200, body: { total_count: runs.length, workflow_runs: shown.map((r) => ({ id: r.id, head_sha: r.head_sha, head_branch: r.head_branch, conclusion: r.conclusion, status: 'completed', event: r.event ?? 'push' })) } };
      }
      default:
        return undefined;
    }
  }

  /** Answers of the repository settings `tenancy doctor` reads. */
  private answerSettings(operation: string, params: Record<string, string>): { status: number; body: unknown; headers?: Record<string, string> } | undefined {
    const repoUrl = `${API}/repos/${params.owner}/${params.repo}`;
    const stamp = '2026-01-01T00:00:00Z';
    switch (operation) {
      case 'actions/get-custom-oidc-sub-claim-for-repo':
        return { status: 200, body: this.settings.oidcSubject };
      case 'oidc/get-oidc-custom-sub-template-for-org':
        return this.settings.organizationOidcSubject ? { status: 200, body: this.settings.organizationOidcSubject } : notFound();
      case 'repos/get-environment': {
        const env = this.settings.environments.get(params.environment_name!);
        if (!env) return notFound();
        const reviewers = env.reviewers.length
          ? [{ id: 2, node_id: 'GA_2', type: 'required_reviewers', prevent_self_review: env.preventSelfReview, reviewers: env.reviewers.map((login, i) => ({ type: 'User', reviewer: simpleUser(login, 100 + i) })) }]
          : [];
        return {
          status: 200,
          body: {
            id: 1, node_id: 'EN_1', name: params.environment_name, url: `${repoUrl}/environments/${params.environment_name}`, html_url: `https://github.com/${params.owner}/${params.repo}/deployments/activity_log?environments_filter=${params.environment_name}`,
            created_at: stamp, updated_at: stamp, protection_rules: [...reviewers, ...(env.branchPolicy ? [{ id: 3, node_id: 'GA_3', type: 'branch_policy' }] : [])], deployment_branch_policy: env.branchPolicy,
          },
        };
      }
      case 'repos/list-deployment-branch-policies': {
        const env = this.settings.environments.get(params.environment_name!);
        if (!env) return notFound();
        return { status: 200, body: { total_count: env.branchPolicies.length, branch_policies: env.branchPolicies.map((p, i) => ({ id: 10 + i, node_id: `DBP_${i}`, ...p })) } };
      }
      case 'repos/get-branch-protection': {
        const protection = this.settings.branchProtections.get(params.branch!);
        if (!protection) return { status: 404, body: { message: 'Branch not protected' } };
        const url = `${repoUrl}/branches/${params.branch}/protection`;
        const { restrictions } = protection;
        return {
          status: 200,
          body: {
            url,
            ...(restrictions ? {
              restrictions: {
                url: `${url}/restrictions`, users_url: `${url}/restrictions/users`, teams_url: `${url}/restrictions/teams`, apps_url: `${url}/restrictions/apps`,
                users: restrictions.users.map((login, i) => simpleUser(login, 200 + i)), teams: restrictions.teams.map((slug, i) => ({ id: 300 + i, slug, name: slug })),
                apps: restrictions.apps.map((slug, i) => ({ id: 400 + i, slug, name: slug })),
              },
            } : {}),
          },
        };
      }
      case 'repos/get-branch-rules':
        return { status: 200, body: (this.settings.branchRules.get(params.branch!) ?? []).map((rule, i) => ({ ...rule, ruleset_source_type: 'Repository', ruleset_source: `${params.owner}/${params.repo}`, ruleset_id: 500 + i })) };
      default:
        return undefined;
    }
  }
}

/** What GitHub takes in an issue or comment body, in characters (written here, not imported from the code it checks). */
const GITHUB_BODY_LIMIT = 65_536;
const bodyTooLong = () => ({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }] } });

function emptySettings(): StoredSettings {
  return { oidcSubject: { use_default: true }, environments: new Map(), branchProtections: new Map(), branchRules: new Map(), forbidden: new Set() };
}

const API = 'https://api.github.com';

function simpleUser(login: string, id: number) {
  const url = `${API}/users/${login}`;
  return {
    login, id, node_id: `U_${id}`, avatar_url: `https://avatars.githubusercontent.com/u/${id}`, gravatar_id: '', url, html_url: `https://github.com/${login}`,
    followers_url: `${url}/followers`, following_url: `${url}/following{/other_user}`, gists_url: `${url}/gists{/gist_id}`, starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`, organizations_url: `${url}/orgs`, repos_url: `${url}/repos`, events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`, type: 'User', site_admin: false,
  };
}

/** What GitHub's description says is wrong with a request to an operation. */
function checkRequest(operation: Operation, params: Record<string, string>, query: Record<string, string>, body: unknown): string[] {
  const problems: string[] = [];
  const known = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
  for (const name of Object.keys(query)) if (!known.has(name)) problems.push(`${operation.id} has no query parameter ${name}`);
  for (const parameter of operation.parameters) {
    const value = parameter.in === 'path' ? params[parameter.name] : parameter.in === 'query' ? query[parameter.name] : undefined;
    if (value === undefined) {
      if (parameter.required && parameter.in !== 'header') problems.push(`${operation.id} needs ${parameter.in} parameter ${parameter.name}`);
      continue;
    }
    if (!parameter.validate(value)) problems.push(`${parameter.in} parameter ${parameter.name}=${value}: ${formatErrors(parameter.validate.errors)}`);
  }
  if (operation.validateBody) {
    if (body === undefined) {
      if (operation.bodyRequired) problems.push(`${operation.id} needs a JSON body`);
    } else if (!operation.validateBody(structuredClone(body))) {
      problems.push(`body: ${formatErrors(operation.validateBody.errors)}`);
    }
  } else if (body !== undefined) {
    problems.push(`${operation.id} takes no body`);
  }
  return problems;
}

function formatErrors(errors: ValidateErrors): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
}
type ValidateErrors = Operation['parameters'][number]['validate']['errors'];

/** One page of a list, with GitHub's `link` header to the next. */
function page(items: unknown[], url: URL) {
  const perPage = Number(url.searchParams.get('per_page') ?? 30);
  const number = Number(url.searchParams.get('page') ?? 1);
  const headers: Record<string, string> = {};
  if (number * perPage < items.length) {
    const next = new URL(url);
    next.searchParams.set('page', String(number + 1));
    headers.link = `<${next.href}>; rel="next"`;
  }
  return { status: 200, body: items.slice((number - 1) * perPage, number * perPage), headers };
}

const notFound = () => ({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } });
const commentJson = (c: StoredComment) => ({ id: c.id, body: c.body, user: c.user });
const issueJson = (i: StoredIssue) => ({ number: i.number, title: i.title, body: i.body, state: i.state, state_reason: i.state_reason ?? null, labels: i.labels.map((name) => ({ name })), ...(i.pull_request ? { pull_request: i.pull_request } : {}) });

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}
