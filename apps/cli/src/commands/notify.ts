import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LookupFunction } from 'node:net';
import { appendJobSummary, isWriteConflict, OUTBOX_FILE, readBranchFile, ROLLOUT_BRANCH, writeBranchFile, type GitHub, type RolloutBranchRef } from '@tenancy/github';
import { offboardedTenants, readRolloutRecord, Repository } from '@tenancy/lifecycle';
import type { Platform } from '@tenancy/model';
import {
  abandonedDeliveries, dataDeletedNotice, deliverDue, emailSender, mergeOutboxes, parseOutbox, pruneOutbox, rangeFleets, readTemplates, recordNotices, render,
  rolloutNotices, serializeOutbox, TemplateError, verifyOutbox, webhookKey, webhookSender, type DeliveryAttempt, type Notice, type Outbox, type RefusedNotice, type Senders,
} from '@tenancy/notifications';
import { EXIT, UsageError } from '../exit-codes';
import { renderTable } from '../output/table';
import { workspaceDirs } from '../workspace';
import { githubFrom } from './github-repository';
import { loadValidFleet } from './load-valid-fleet';

export interface NotifyOptions {
  readonly root: string;
  /** Print what would be sent, record and send nothing. */
  readonly dryRun: boolean;
  /** With dryRun: the range to read instead of the rollout record's. */
  readonly base?: string;
  readonly head?: string;
  /** Record the notices, send none (rehearsals without network). */
  readonly offline: boolean;
  /** Keep the outbox on this repository's rollout branch. @default GITHUB_REPOSITORY when set, else only the local copy */
  readonly repository?: string;
  readonly now: () => Date;
  /** Print this tenant's webhook signing key (derived from the webhook secret) and do nothing else. */
  readonly webhookKeyFor?: string;
  /** Certificates and name resolution for the senders, where tests stand in for the SMTP server and a webhook. @default the system's */
  readonly transport?: { readonly ca?: string; readonly lookup?: LookupFunction };
}

/** The purged tenants of the last `tenancy reap --apply`, which `notify` tells. */
export interface ReapedFile {
  readonly purged: readonly { readonly id: string; readonly deletedIn: string }[];
}

const write = (line: string) => process.stdout.write(`${line}\n`);
const targetsOf = (notice: Notice) => notice.deliveries.map((d) => (d.channel === 'email' ? d.to : `webhook ${d.url}`)).join(', ');

/** Where the outbox is kept: the local copy always, and the rollout branch when a repository is known. */
class OutboxStore {
  private readonly path: string;
  private readonly branch?: { github: GitHub; ref: RolloutBranchRef };

  constructor(root: string, repository: string | undefined) {
    this.path = workspaceDirs(root).outbox;
    const name = repository ?? process.env.GITHUB_REPOSITORY;
    if (name) {
      const { github, owner, repo } = githubFrom(name);
      this.branch = { github, ref: { owner, repo } };
    }
  }

  get where(): string {
    return this.branch ? `${OUTBOX_FILE} on ${ROLLOUT_BRANCH}` : `${this.path} (local only: give --repository to share it through ${ROLLOUT_BRANCH})`;
  }

  async read(): Promise<Outbox> {
    const local = parseOutbox(existsSync(this.path) ? readFileSync(this.path, 'utf8') : undefined);
    return this.branch ? mergeOutboxes(parseOutbox(await readBranchFile(this.branch.github, this.branch.ref, OUTBOX_FILE)), local) : local;
  }

  /** Saves the outbox; when another run wrote the branch meanwhile, merges its copy in and tries again. */
  async write(outbox: Outbox, message: string, fromCommit: string): Promise<Outbox> {
    let current = outbox;
    for (let attempt = 1; ; attempt += 1) {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(this.path, serializeOutbox(current));
      if (!this.branch) return current;
      try {
        await writeBranchFile(this.branch.github, this.branch.ref, OUTBOX_FILE, serializeOutbox(current), message, fromCommit);
        return current;
      } catch (error) {
        if (!isWriteConflict(error) || attempt === 3) throw error;
        current = mergeOutboxes(current, parseOutbox(await readBranchFile(this.branch.github, this.branch.ref, OUTBOX_FILE)));
      }
    }
  }
}

function senders(platform: Platform, transport: NotifyOptions['transport']): Senders {
  const settings = platform.notifications!;
  const secret = (name: string | undefined) => (name ? process.env[name] : undefined);
  const missing = (name: string) => ({ missing: `the environment has no ${name}: the workflow passes the secret of that name to this step` });
  const credentials = secret(settings.email.credentialsSecret);
  const webhookKey = secret(settings.webhookSecret);
  return {
    email: settings.email.credentialsSecret && !credentials ? missing(settings.email.credentialsSecret)
      : emailSender({ settings: settings.email, ...(credentials ? { credentials } : {}), ...(transport?.ca ? { ca: transport.ca } : {}) }),
    webhook: !settings.webhookSecret ? { missing: 'platform.yaml names no notifications.webhookSecret' }
      : !webhookKey ? missing(settings.webhookSecret)
        : webhookSender({ secret: webhookKey, ...(transport?.ca ? { ca: transport.ca } : {}), ...(transport?.lookup ? { lookup: transport.lookup } : {}) }),
  };
}

/** The notices of the last rollout (its record) and of the last purge, or of a range for a dry run. */
async function findNotices(options: NotifyOptions, repository: Repository): Promise<{ notices: Notice[]; source: string } | undefined> {
  const now = options.now();
  if (options.base !== undefined || options.head !== undefined) {
    if (!options.dryRun) throw new UsageError('--base and --head are for --dry-run: a real run tells what the rollout record says was applied');
    if (!options.base || !options.head) throw new UsageError('give both --base and --head');
    const [base, head] = [await repository.resolve(options.base), await repository.resolve(options.head)];
    return { notices: rolloutNotices(await rangeFleets(repository, base, head), { now }), source: `${base.slice(0, 12)}..${head.slice(0, 12)}, every stack taken as applied` };
  }
  const record = readRolloutRecord(workspaceDirs(options.root).rollout);
  const notices: Notice[] = [];
  const sources: string[] = [];
  if (record) {
    const source = { kind: 'rollout' as const, base: record.base, head: record.head };
    notices.push(...rolloutNotices(await rangeFleets(repository, record.base, record.head), { record, now }).map((n) => ({ ...n, source })));
    sources.push(`rollout ${record.id}`);
  }
  const reapedPath = workspaceDirs(options.root).reaped;
  if (existsSync(reapedPath)) {
    const { purged } = JSON.parse(readFileSync(reapedPath, 'utf8')) as ReapedFile;
    const offboarded = new Map((await offboardedTenants(repository)).map((o) => [`${o.id}@${o.deletedIn}`, o]));
    for (const { id, deletedIn } of purged) {
      const tenant = offboarded.get(`${id}@${deletedIn}`);
      if (tenant) notices.push({ ...dataDeletedNotice(tenant, now), source: { kind: 'purge', deletedIn } });
      else write(`${id}: no offboarding in ${deletedIn.slice(0, 12)} in this repository's history; its data-deleted notice is not sent`);
    }
    sources.push(`${purged.length} purged tenants`);
  }
  return sources.length ? { notices, source: sources.join(' and ') } : undefined;
}

/** What to give a customer for its receiver: its own key, derived from the secret in this shell's environment. */
function printWebhookKey(tenant: string, platform: Platform, tenants: readonly string[]): number {
  const name = platform.notifications!.webhookSecret;
  if (!name) throw new UsageError('platform.yaml names no notifications.webhookSecret');
  if (!tenants.includes(tenant)) throw new UsageError(`no tenant ${tenant} in tenants/`);
  const secret = process.env[name];
  if (!secret) throw new UsageError(`set ${name} to the webhook secret in this shell first`);
  write(webhookKey(secret, tenant));
  return EXIT.ok;
}

function summary(sent: readonly DeliveryAttempt[], failed: readonly DeliveryAttempt[], recorded: number, refused: readonly RefusedNotice[]): string {
  const caution = refused.length
    ? ['', '> [!CAUTION]', `> ${refused.length} notices in the outbox are not tenancy's and were not sent: ${refused.slice(0, 5).map((r) => `${r.id} (${r.why})`).join('; ')}`]
    : [];
  const rows = [...failed.map((f) => `| ${f.tenant} | ${f.event} | ${f.to} | failed: ${f.error!.replace(/\|/g, '\\|')} |`), ...sent.map((s) => `| ${s.tenant} | ${s.event} | ${s.to} | sent |`)];
  return ['### Notifications', '', `${recorded} new notices recorded; ${sent.length} deliveries sent, ${failed.length} failed (tried again on the next run).`, ...caution,
    ...(rows.length ? ['', '| tenant | event | to | result |', '|---|---|---|---|', ...rows] : [])].join('\n');
}

/**
 * Tells customers and operators what the last rollout and purge did. Each notice is recorded in
 * the outbox before it is sent and marked sent after; a rerun sends only what is unsent, and a
 * failed delivery is reported, never fails the run, and is tried again next time.
 */
export async function notifyCommand(options: NotifyOptions): Promise<number> {
  const fleet = await loadValidFleet(options.root);
  if (!fleet) return EXIT.invalid;
  if (!fleet.platform.notifications) {
    write('notifications are off: platform.yaml has no notifications section');
    return EXIT.ok;
  }
  if (options.webhookKeyFor !== undefined) return printWebhookKey(options.webhookKeyFor, fleet.platform, fleet.tenants.map((t) => t.id));
  let templates;
  try {
    templates = readTemplates(options.root);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return EXIT.invalid;
  }
  const repository = new Repository(options.root);
  const found = await findNotices(options, repository);
  if (!found) {
    write('nothing to notify: no rollout record and no purge in this workspace (tenancy rollout pull brings the record)');
    return EXIT.ok;
  }
  const { notices, source } = found;

  if (options.dryRun) {
    write(`${notices.length} notices from ${source}:`);
    if (notices.length) write(renderTable(['tenant', 'event', 'to', 'subject'], notices.map((n) => [n.tenant, n.event, targetsOf(n) || '(nobody)', render(templates.get(n.event)!, n.fields).subject])));
    return EXIT.ok;
  }

  const store = new OutboxStore(options.root, options.repository);
  const head = await repository.resolve('HEAD');
  const { outbox: recorded, added } = recordNotices(pruneOutbox(await store.read(), options.now()), notices, options.now());
  // Recorded before anything is sent: a notice is never sent without a trace.
  let outbox = await store.write(recorded, `notifications: ${added.length} recorded from ${source}`, head);
  write(`${added.length} new notices from ${source}, recorded in ${store.where}`);
  if (options.offline) {
    write('offline: nothing is sent; the next run with network sends what is due');
    return EXIT.ok;
  }

  // The outbox is read back from a branch a push can write: only what the history derives again is sent, to whom its files name.
  const record = readRolloutRecord(workspaceDirs(options.root).rollout);
  const { outbox: verified, refused } = await verifyOutbox(outbox, { repository, head, ...(record ? { record } : {}) });
  for (const { id, why } of refused) write(`refused: ${id} is not sent: ${why}`);
  if (refused.length && process.env.GITHUB_ACTIONS) write(`::error title=notifications::${refused.length} notices in the outbox are not tenancy's and were not sent; the outbox was written without them`);
  const channels = senders(fleet.platform, options.transport);
  const { outbox: delivered, sent, failed } = await deliverDue(verified, templates, channels, options.now).finally(() => { if ('close' in channels.email) channels.email.close(); });
  outbox = await store.write(delivered, `notifications: ${sent.length} sent, ${failed.length} failed`, head);
  if (sent.length + failed.length) write(renderTable(['tenant', 'event', 'to', 'result'], [...sent, ...failed].map((d) => [d.tenant, d.event, d.to, d.error ? `failed: ${d.error}` : 'sent'])));
  write(`${sent.length} sent, ${failed.length} failed${failed.length ? ': tried again on the next run' : ''}`);
  for (const { entry, delivery } of abandonedDeliveries(outbox)) {
    write(`given up: ${entry.id} to ${delivery.channel === 'email' ? delivery.to : delivery.url} after ${delivery.attempts} attempts (${delivery.error})`);
  }
  if (failed.length && process.env.GITHUB_ACTIONS) write(`::warning title=notifications::${failed.length} deliveries failed; the next run tries them again`);
  appendJobSummary(summary(sent, failed, added.length, refused));
  return EXIT.ok;
}
