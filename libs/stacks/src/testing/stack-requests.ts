import { createHash } from 'node:crypto';
import { KUBERNETES_TYPES, NEEDED_ACTIONS, type NeededAction, type ResourceView, type Target } from '../iam/needed-actions';
import type { PolicyDocument } from '../iam/policy-document';
import { SESSION_TAG } from '../iam/session-scope';
import { partitionOf } from '../naming';

/** A synthesized stack's JSON, as the walk reads it. */
export interface StackJson {
  provider?: { aws?: Record<string, unknown>[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  ephemeral?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
}

/** One AWS call a stack's Terraform makes, and what IAM evaluates it with. */
export interface AwsRequest {
  readonly stack: string;
  /** `aws_vpc.network_vpc`, `provider`, `data.terraform_remote_state.cluster` */
  readonly address: string;
  readonly need: NeededAction;
  /** Who calls: the stack's session in the account, or the control-plane principal. */
  readonly caller: 'account' | 'control-plane';
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** The key policy of a key the call is on. */
  readonly resourcePolicy?: PolicyDocument;
}

/** The account session a stack's provider opens. */
export interface StackSession {
  readonly accountId: string;
  readonly region: string;
  /** ARNs of the account roles the provider assumes as the deployer and as the planner. */
  readonly roles: { readonly deployer: string; readonly planner: string };
  readonly sessionName: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface WalkedStack {
  readonly session: StackSession;
  readonly requests: AwsRequest[];
  /** Synthesized types the table has no entry for. */
  readonly unknownTypes: string[];
  /** Types seen, for the table's coverage. */
  readonly types: string[];
}

const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.([a-z0-9_]+)\}$/;
/** The secret RDS keeps a database's master password in, as `master_user_secret[0].secret_arn` names it. */
const MASTER_SECRET = /^\$\{aws_db_instance\.([A-Za-z0-9_-]+)\.master_user_secret\[0\]\.secret_arn\}$/;
const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

function at(config: unknown, path: string): unknown {
  let value = config;
  for (const part of path.split('.')) {
    if (Array.isArray(value)) value = value[Number(part)];
    else if (value && typeof value === 'object') value = /^\d+$/.test(part) && !(part in value) ? value : (value as Record<string, unknown>)[part];
    else return undefined;
  }
  return value;
}

/** Everything the walk knows: every synthesized stack, by name, and where state lives. */
export class StackIndex {
  private readonly views = new Map<string, View>();
  constructor(
    readonly stacks: ReadonlyMap<string, StackJson>,
    /** The control plane: its account, and the region its secrets live in. */
    readonly controlPlane: { readonly accountId: string; readonly region: string },
  ) {}

  /** The stack a `terraform_remote_state` reads, by its state key or path. */
  stateOwner(config: Record<string, unknown>): string {
    const where = String(config.key ?? config.path ?? '');
    const name = where.slice(where.lastIndexOf('/') + 1).replace(/\.tfstate$/, '');
    if (!this.stacks.has(name)) throw new Error(`no stack ${name} for remote state ${where}`);
    return name;
  }

  session(stack: string): StackSession {
    const aws = (this.stacks.get(stack)!.provider?.aws ?? []).find((p) => !p.alias)!;
    const assume = (aws.assume_role as Record<string, unknown>[])[0]!;
    const arns = String(assume.role_arn).match(/arn:[^"\\]+/g)!;
    return {
      accountId: /iam::(\d{12}):/.exec(arns[0]!)![1]!,
      region: String(aws.region),
      roles: { deployer: arns[0]!, planner: arns[1]! },
      sessionName: String(assume.session_name),
      tags: (assume.tags ?? {}) as Record<string, string>,
    };
  }

  view(stack: string, kind: 'resource' | 'data' | 'ephemeral', type: string, name: string): View {
    const key = `${stack}/${kind}/${type}.${name}`;
    let view = this.views.get(key);
    if (!view) {
      const config = this.stacks.get(stack)?.[kind]?.[type]?.[name];
      if (!config) throw new Error(`${stack} has no ${kind} ${type}.${name}`);
      view = new View(this, stack, kind, type, name, config);
      this.views.set(key, view);
    }
    return view;
  }

  /** A stack's string with every `${...}` reference in it replaced by the value it stands for. */
  interpolate(stack: string, text: string): string {
    return text.replace(/\$\{[^}]+\}/g, (expression) => {
      const remote = REMOTE_OUTPUT.exec(expression);
      if (remote) {
        const state = this.view(stack, 'data', 'terraform_remote_state', remote[1]!);
        const owner = this.stateOwner(state.config.config as Record<string, unknown>);
        return this.interpolate(owner, String(this.stacks.get(owner)!.output![remote[2]!]!.value));
      }
      const secret = MASTER_SECRET.exec(expression);
      if (secret) {
        const db = this.view(stack, 'resource', 'aws_db_instance', secret[1]!);
        return `arn:${db.partition}:secretsmanager:${db.region}:${db.accountId}:secret:rds!db-${db.id}-AbCdEf`;
      }
      const { view, attribute } = this.referenced(stack, expression);
      return view.attributeValue(attribute);
    });
  }

  /** Follows a `${...}` reference of a stack to the resource it names (through remote state to another stack). */
  referenced(stack: string, expression: string): { view: View; attribute: string } {
    const remote = REMOTE_OUTPUT.exec(expression);
    if (remote) {
      const state = this.view(stack, 'data', 'terraform_remote_state', remote[1]!);
      const owner = this.stateOwner(state.config.config as Record<string, unknown>);
      return this.referenced(owner, String(this.stacks.get(owner)!.output![remote[2]!]!.value));
    }
    const match = REFERENCE.exec(expression);
    if (!match) throw new Error(`${stack}: cannot follow ${expression}`);
    const [, data, type, name, attribute] = match;
    return { view: this.view(stack, data ? 'data' : 'resource', type!, name!), attribute: attribute! };
  }
}

class View implements ResourceView {
  constructor(
    private readonly index: StackIndex,
    readonly stack: string,
    readonly kind: 'resource' | 'data' | 'ephemeral',
    readonly type: string,
    readonly name: string,
    readonly config: Record<string, unknown>,
  ) {}

  get tableType(): string {
    return this.kind === 'resource' ? this.type : `${this.kind}.${this.type}`;
  }

  private get controlPlaneCall(): boolean {
    return NEEDED_ACTIONS[this.tableType]?.caller === 'control-plane';
  }

  get partition(): string {
    return partitionOf(this.region);
  }

  get region(): string {
    return this.controlPlaneCall ? this.index.controlPlane.region : this.index.session(this.stack).region;
  }

  get accountId(): string {
    return this.controlPlaneCall ? this.index.controlPlane.accountId : this.index.session(this.stack).accountId;
  }

  get id(): string {
    return createHash('sha256').update(`${this.stack}/${this.type}.${this.name}`).digest('hex').slice(0, 17);
  }

  value(attribute: string): string {
    const raw = at(this.config, attribute);
    if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
    if (typeof raw !== 'string') throw new Error(`${this.stack} ${this.type}.${this.name}: ${attribute} is not a string`);
    if (!raw.startsWith('${')) return raw;
    const { view, attribute: attr } = this.index.referenced(this.stack, raw);
    return view.attributeValue(attr);
  }

  optional(attribute: string): string | undefined {
    return at(this.config, attribute) === undefined ? undefined : this.value(attribute);
  }

  attributeValue(attribute: string): string {
    if (typeof this.config[attribute] === 'string') return this.value(attribute);
    if (attribute === 'arn') return this.arn();
    if (attribute === 'name') return this.value('name');
    return NEEDED_ACTIONS[this.tableType]?.id?.(this) ?? this.id;
  }

  ref(attribute: string): View {
    const raw = at(this.config, attribute);
    if (typeof raw !== 'string' || !raw.startsWith('${')) throw new Error(`${this.stack} ${this.type}.${this.name}: ${attribute} refers to nothing`);
    return this.index.referenced(this.stack, raw).view;
  }

  arn(): string {
    const arn = NEEDED_ACTIONS[this.tableType]?.arn;
    if (!arn) throw new Error(`the table gives no ARN for ${this.tableType}`);
    return arn(this);
  }

  /** Tags the resource carries: its provider's default tags and its own. */
  get tags(): Record<string, string> {
    const alias = typeof this.config.provider === 'string' ? this.config.provider.replace(/^aws\./, '') : undefined;
    const aws = (this.index.stacks.get(this.stack)!.provider?.aws ?? []).find((p) => p.alias === alias);
    const defaults = ((aws?.default_tags as { tags: Record<string, string> }[] | undefined)?.[0]?.tags) ?? {};
    return { ...defaults, ...((this.config.tags as Record<string, string> | undefined) ?? {}) };
  }

  get keyPolicy(): PolicyDocument | undefined {
    return this.type === 'aws_kms_key' ? (JSON.parse(String(this.config.policy).replaceAll('$${', '${')) as PolicyDocument) : undefined;
  }
}

const tagContext = (kind: 'Request' | 'Resource', tags: Record<string, string>) =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:${kind}Tag/${k}`, v]));

/** The requests one need of one resource makes, one per resource it is authorized on. */
function requestsOf(stack: string, view: View, need: NeededAction, caller: AwsRequest['caller']): AwsRequest[] {
  const targets: readonly Target[] = need.on ?? ['self'];
  const setting = need.tags === 'set' ? { ...tagContext('Request', view.tags), 'aws:TagKeys': Object.keys(view.tags) } : need.tags === 'remove' ? { 'aws:TagKeys': ['Name'] } : {};
  const extra = need.context?.(view) ?? {};
  return targets.map((target): AwsRequest => {
    const base = { stack, address: `${view.tableType}.${view.name}`, need, caller, action: need.action };
    const context = (own: Record<string, string | string[]>) => ({ ...own, ...setting, ...extra }) as Record<string, string | string[]>;
    if (target === 'new') return { ...base, resource: view.arn(), resourceAccount: view.accountId, context: context({}), ...policyOf(view) };
    if (target === 'self') return { ...base, resource: view.arn(), resourceAccount: view.accountId, context: context(tagContext('Resource', view.tags)), ...policyOf(view) };
    if (target === 'any') return { ...base, resource: '*', resourceAccount: view.accountId, context: context({}) };
    if ('ref' in target) {
      const referenced = view.ref(target.ref);
      return { ...base, resource: referenced.arn(), resourceAccount: referenced.accountId, context: context(tagContext('Resource', referenced.tags)), ...policyOf(referenced) };
    }
    return { ...base, resource: target.arn(view), resourceAccount: view.accountId, context: context({}), ...policyOf(view) };
  });
}

function policyOf(view: View): { resourcePolicy?: PolicyDocument } {
  const policy = view.keyPolicy;
  return policy ? { resourcePolicy: policy } : {};
}

/** Every AWS call the table says a stack's Terraform makes, in every phase. */
export function walkStack(index: StackIndex, stack: string): WalkedStack {
  const json = index.stacks.get(stack)!;
  const session = index.session(stack);
  const requests: AwsRequest[] = [];
  const unknownTypes = new Set<string>();
  const types = new Set<string>(['provider']);
  for (const need of NEEDED_ACTIONS.provider!.actions) {
    for (const [principal, role] of Object.entries(session.roles)) {
      requests.push({
        stack, address: `provider.${principal}`, need, caller: 'control-plane', action: need.action, resource: role, resourceAccount: session.accountId,
        context: need.action === 'sts:TagSession' ? { ...tagContext('Request', session.tags), 'aws:TagKeys': Object.keys(session.tags) } : {},
      });
    }
  }
  for (const kind of ['resource', 'data', 'ephemeral'] as const) {
    for (const [type, byName] of Object.entries(json[kind] ?? {})) {
      const tableType = kind === 'resource' ? type : `${kind}.${type}`;
      if (kind === 'resource' && KUBERNETES_TYPES.test(type)) continue;
      const needs = NEEDED_ACTIONS[tableType];
      if (!needs) {
        unknownTypes.add(tableType);
        continue;
      }
      types.add(tableType);
      for (const name of Object.keys(byName)) {
        const view = index.view(stack, kind, type, name);
        for (const need of needs.actions) requests.push(...requestsOf(stack, view, need, needs.caller ?? 'account'));
      }
    }
  }
  return { session, requests, unknownTypes: [...unknownTypes], types: [...types] };
}

/** Session tags as the principal-tag context IAM evaluates. */
export function principalTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v]));
}

/** The session tags of another owner of the same account, with no host: what the isolation checks run as. */
export const INTRUDER = { [SESSION_TAG.owner]: 'tenant-intruder' } as const;
