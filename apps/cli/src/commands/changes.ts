import { hasErrors } from '@tenancy/model';
import { computeChanges, describeFieldChange, Repository, type ChangeOptions, type ChangeSet, type TenantChange } from '@tenancy/lifecycle';
import { EXIT, UsageError } from '../exit-codes';
import { printDiagnostics, type OutputFormat } from '../output/diagnostics';
import { renderTable } from '../output/table';

export interface ChangesOptions {
  readonly root: string;
  readonly base: string;
  readonly head: string;
  readonly format: OutputFormat;
}

/** The change set of a commit range, or a usage error naming the ref that does not resolve. */
export async function loadChanges(root: string, base: string, head: string, options: ChangeOptions = {}): Promise<ChangeSet> {
  const repository = new Repository(root);
  await Promise.all([base, head].map((ref) => repository.resolve(ref).catch(() => { throw new UsageError(`${ref} is not a commit of the repository at ${root}`); })));
  return computeChanges(repository, base, head, options);
}

function details(change: TenantChange): string {
  switch (change.kind) {
    case 'onboard':
      return change.reattaches ? `re-onboarded: reattaches the data kept since ${change.reattaches.deletedAt.slice(0, 10)} (no second data stack)` : 'new tenant';
    case 'upgrade':
      return change.fields.length ? change.fields.map(describeFieldChange).join('; ') : [...new Set(change.work.flatMap((w) => w.reasons))].join('; ');
    case 'offboard': {
      const access = change.revokes
        ? change.revokes.stillUsedBy.length ? `; access kept for ${change.revokes.stillUsedBy.join(', ')}` : `; revokes access to account ${change.revokes.accountId}`
        : '';
      const hold = change.legalHold ? `, and beyond while the legal hold stands (${change.legalHold})` : '';
      return `data kept ${change.retentionDays} days from when the offboarding is applied${hold}${access}`;
    }
    case 'hold':
      return change.held ? 'legal hold placed: its kept data stops expiring and is locked' : 'legal hold lifted: its kept data returns to its retention';
    case 'unchanged':
      return '';
  }
}

export async function changesCommand(options: ChangesOptions): Promise<number> {
  const changes = await loadChanges(options.root, options.base, options.head);
  const invalid = hasErrors(changes.diagnostics);
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify(changes, null, 2)}\n`);
    return invalid ? EXIT.invalid : EXIT.ok;
  }
  printDiagnostics(changes.diagnostics, (line) => process.stderr.write(`${line}\n`));
  if (invalid) return EXIT.invalid;
  const changed = changes.tenants.filter((t) => t.kind !== 'unchanged');
  const rows = changed.map((t) => [t.id, t.kind, t.work.map((w) => `${w.action === 'destroy' ? '-' : ''}${w.kind}`).join(', '), details(t)]);
  for (const w of changes.shared) rows.push([w.stack, 'platform', w.kind, w.reasons.join('; ')]);
  const out = [`changes ${changes.base.slice(0, 12)}..${changes.head.slice(0, 12)}`];
  if (rows.length) out.push(renderTable(['tenant', 'change', 'stacks', 'details'], rows));
  const unchanged = changes.tenants.length - changed.length;
  const stacks = [...changed.flatMap((t) => t.work), ...changes.shared].length;
  out.push(`${changed.length} tenants changed, ${unchanged} unchanged; ${stacks} stacks to plan${changes.ignored.length ? `; ${changes.ignored.length} other files changed (no tenant work)` : ''}`);
  for (const removed of changes.removedShared) out.push(`note: ${removed} is no longer in platform.yaml; its stack is not destroyed automatically: destroy it by hand once no tenant uses it`);
  const quiet = changes.platform.filter((f) => !changes.shared.length && !changed.some((t) => t.work.some((w) => w.reasons.some((r) => r.includes(f.path)))));
  for (const field of quiet) out.push(`note: platform.yaml ${describeFieldChange(field)} reaches no stack`);
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.ok;
}
