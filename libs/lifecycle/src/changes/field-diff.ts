/** One field that differs between two versions of a document. */
export interface FieldChange {
  /** Dotted path; list items that have a `name` are keyed by it: `resources.api.cpu`; keys with a dot are quoted: `kubernetes."1.31".addons`. */
  readonly path: string;
  readonly from?: unknown;
  readonly to?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function byName(list: unknown[]): Map<string, unknown> | undefined {
  if (!list.every((item) => isObject(item) && typeof item.name === 'string')) return undefined;
  return new Map(list.map((item) => [(item as { name: string }).name, item]));
}

/** Every leaf that differs between `before` and `after`; whole lists when their items have no names. */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  const join = (key: string) => {
    const segment = key.includes('.') ? `"${key}"` : key;
    return path ? `${path}.${segment}` : segment;
  };
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], join(key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const [a, b] = [byName(before), byName(after)];
    if (a && b) {
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((name) => fieldChanges(a.get(name), b.get(name), join(name)));
    }
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path, ...(before === undefined ? {} : { from: before }), ...(after === undefined ? {} : { to: after }) }];
}

/** The keys of a change's path: `kubernetes."1.31".addons` is `kubernetes`, `1.31`, `addons`. */
export function pathSegments(path: string): string[] {
  return [...path.matchAll(/"([^"]*)"|([^.]+)/g)].map((m) => m[1] ?? m[2]!);
}

/** `tier: standard → premium`, `resources.worker: added`. */
export function describeFieldChange(change: FieldChange): string {
  const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  if (change.from === undefined) return `${change.path}: added${isObject(change.to) ? '' : ` (${show(change.to)})`}`;
  if (change.to === undefined) return `${change.path}: removed`;
  return `${change.path}: ${show(change.from)} → ${show(change.to)}`;
}
