import type { Diagnostic } from '../diagnostics/diagnostic';
import { TENANT_ID_MAX_LENGTH, TenantId } from '../schema/primitives';
import type { EntryKind } from './fleet-source';

/** A path as a diagnostic names it: quoted as JSON when it holds characters that would break a line. */
export function shownPath(path: string): string {
  return /[\x00-\x1f\x7f"]/.test(path) ? JSON.stringify(path) : path;
}

const at = (file: string, code: string, message: string, hint: string): Diagnostic => ({ file: shownPath(file), line: 1, column: 1, severity: 'error', code, message, hint });

/** Why `tenants` is not a folder the fleet can be read from, or undefined when it is one (or is missing). */
export function tenantsFolderProblem(kind: EntryKind | 'missing'): Diagnostic | undefined {
  if (kind === 'directory' || kind === 'missing') return undefined;
  return at('tenants', 'tenants-not-a-folder', `tenants is ${kind === 'symlink' ? 'a symbolic link' : `a ${kind}`}, not a folder`, 'keep tenants/ a folder of the repository holding one <id>.yaml file per tenant: what a link points to is not what Git holds');
}

/** Why platform.yaml cannot be read as the repository's file, or undefined. */
export function platformFileProblem(kind: EntryKind | 'missing'): Diagnostic | undefined {
  if (kind === 'file' || kind === 'missing') return undefined;
  return at('platform.yaml', 'not-a-file', `platform.yaml is ${kind === 'symlink' ? 'a symbolic link' : `a ${kind}`}, not a file`, 'commit platform.yaml itself: what a link points to is not what Git holds');
}

/**
 * What an entry of `tenants/` is: the tenant id its name gives, or why it is not a tenant file.
 * Everything in the folder is one or the other: a file that would be skipped is an error, so that
 * no change can hide in it.
 */
export function tenantEntry(name: string, kind: EntryKind): { id: string } | { problem: Diagnostic } {
  const file = `tenants/${name}`;
  const what = kind === 'symlink' ? 'a symbolic link' : kind === 'directory' ? 'a folder' : kind === 'submodule' ? 'a submodule' : kind === 'other' ? 'not a regular file' : undefined;
  if (what) {
    const why = kind === 'symlink' ? 'what a link points to is not what Git holds' : 'move what it holds out of tenants/';
    return { problem: at(file, 'not-a-tenant-file', `${shownPath(file)} is ${what}`, `tenants/ holds only <id>.yaml files, each a tenant: ${why}`) };
  }
  if (!name.endsWith('.yaml')) {
    return /\.ya?ml$/i.test(name)
      ? { problem: at(file, 'wrong-extension', `'${name}' is not named <id>.yaml, so it would be ignored`, `rename it to ${name.replace(/\.ya?ml$/i, '.yaml').toLowerCase()}`) }
      : { problem: at(file, 'not-a-tenant-file', `${shownPath(file)} is not a tenant file (<id>.yaml)`, 'tenants/ holds only <id>.yaml files, each a tenant: keep other files elsewhere') };
  }
  const id = name.slice(0, -'.yaml'.length);
  if (TenantId.safeParse(id).success) return { id };
  return {
    problem: at(file, 'invalid-file-name', `file name '${shownPath(id)}' is not a valid tenant id`,
      `name the file <id>.yaml, the id a lower-case DNS label of at most ${TENANT_ID_MAX_LENGTH} characters without "--" and not prefixed with "cell-" or "pool-", such as acme-prod.yaml`),
  };
}

/** A tenant path of a commit (`tenants/<name>`), as tenantEntry judges it; undefined for a path outside tenants/. */
export function tenantPathEntry(path: string, kind: EntryKind): { id: string } | { problem: Diagnostic } | undefined {
  if (path === 'tenants') return kind === 'directory' ? undefined : { problem: tenantsFolderProblem(kind)! };
  if (!path.startsWith('tenants/')) return undefined;
  const name = path.slice('tenants/'.length);
  if (name.includes('/')) return { problem: at(path, 'not-a-tenant-file', `${shownPath(path)} is inside a folder of tenants/`, 'tenants/ holds only <id>.yaml files, each a tenant, and no folders') };
  return tenantEntry(name, kind);
}

/** Attributes that make Git rewrite a file between the repository and the work tree. */
const REWRITING = /(?:^|\s)(filter|working-tree-encoding|ident)(?=[=\s]|$)/;

/** A `.gitattributes` pattern as a regular expression over repository paths (gitignore's glob rules). */
function attributePattern(pattern: string): RegExp {
  const anchored = pattern.includes('/');
  const glob = pattern.replace(/^\//, '');
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (glob.startsWith('**/', i)) { source += '(?:.*/)?'; i += 2; }
    else if (glob.startsWith('/**', i) && i + 3 === glob.length) { source += '/.*'; i += 2; }
    else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (ch === '[') { const end = glob.indexOf(']', i + 1); source += end > i ? glob.slice(i, end + 1).replace(/^\[!/, '[^') : '\\['; i = end > i ? end : i; }
    else source += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(anchored ? `^${source}$` : `(?:^|/)${source}$`);
}

/**
 * Lines of `.gitattributes` that would rewrite platform.yaml or a tenant file (among `paths`) on
 * checkout: with one, what a clean checkout validates differs from what the commit holds and the
 * range commands read.
 */
export function attributeProblems(text: string, paths: readonly string[]): Diagnostic[] {
  return text.split('\n').flatMap((raw, index) => {
    const line = raw.replace(/\r$/, '');
    const [pattern, ...attributes] = line.trim().split(/\s+/);
    if (!pattern || pattern.startsWith('#')) return [];
    const match = REWRITING.exec(attributes.join(' '));
    if (!match) return [];
    const matches = attributePattern(pattern);
    const hit = paths.find((path) => matches.test(path));
    if (!hit) return [];
    return [{
      file: '.gitattributes', line: index + 1, column: line.indexOf(match[1]!, line.indexOf(pattern) + pattern.length) + 1, severity: 'error' as const, code: 'rewriting-attribute',
      message: `the ${match[1]} attribute of '${pattern}' rewrites ${shownPath(hit)} on checkout, so the work tree would not hold what the commit does`,
      hint: 'remove it for platform.yaml and tenants/: they are read as committed, UTF-8 with no filter',
    }];
  });
}
