import type { Diagnostic } from '../diagnostics/diagnostic';
import type { PathSegment, SourceFile } from '../yaml/source-file';

interface TokenPattern {
  readonly kind: string;
  readonly pattern: RegExp;
}

/** Credentials recognisable by their shape wherever they appear. */
const TOKEN_PATTERNS: readonly TokenPattern[] = [
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { kind: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/ },
  { kind: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: 'a Stripe key', pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/ },
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'a password inside a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i },
];

/** Keys whose value is a password whatever it looks like. */
const PASSWORD_KEY = /(?:^|[-_.])(?:pass(?:word|wd)?|pwd)$|password$/i;
/** Keys whose value must not look like a random credential (it may be the name of one). */
const SECRET_KEY = /pass(?:word|wd)|secret|token|api[-_]?key|private[-_]?key|credential|auth/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[+=]/].filter((c) => c.test(value)).length;
}

/**
 * Whether a value looks like a generated credential rather than a name: a long hex run, a long
 * segment mixing cases and digits, a UUID, or a long high-entropy string.
 */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || /\s/.test(value)) return false;
  if (UUID.test(value) || /[0-9a-f]{32,}/i.test(value)) return true;
  if (value.split(/[/.:_-]/).some((segment) => segment.length >= 16 && characterClasses(segment) >= 3)) return true;
  return value.length >= 24 && entropy(value) >= 4.2 && characterClasses(value) >= 3;
}

/**
 * `NAME=value` and `--name=value` inside a string: an environment assignment or a command-line
 * option, as in `["/app/worker", "--password=..."]` or `sh -c "DB_PASSWORD=... exec app"`.
 */
const ASSIGNMENT = /(?:^|[\s;&|'"(])-{0,2}([A-Za-z_][A-Za-z0-9_.-]*)=("[^"]*"|'[^']*'|[^\s;&|]+)/g;
/** A command-line flag whose next argument is its value: `--password`, `-db-token`. */
const FLAG = /^-{1,2}([A-Za-z][A-Za-z0-9_.-]*)$/;
/** A value that says where a secret comes from instead of holding it: `$VAR`, `${VAR}`, `$(command)`. */
const REFERENCE = /^\$/;

/** Why a value named `key` is a secret, or undefined. */
function namedReason(key: string, value: string): string | undefined {
  if (value.length > 0 && PASSWORD_KEY.test(key)) return `'${key}' holds a password`;
  if (SECRET_KEY.test(key) && looksRandom(value)) return `'${key}' holds what looks like a secret value, not the name of one`;
  return undefined;
}

/** Why an assignment or option written inside a value holds a secret, or undefined. */
function assignedReason(value: string): string | undefined {
  for (const [, name, written] of value.matchAll(ASSIGNMENT)) {
    const assigned = written!.replace(/^(["'])([\s\S]*)\1$/, '$2');
    if (REFERENCE.test(assigned)) continue;
    const reason = namedReason(name!, assigned);
    if (reason) return `${reason}, written as ${name}=… in the value`;
  }
  return undefined;
}

/** Why a key/value pair looks like an inline secret, or undefined. */
export function secretReason(key: string | undefined, value: string): string | undefined {
  for (const { kind, pattern } of TOKEN_PATTERNS) {
    if (pattern.test(value)) return `value looks like ${kind}`;
  }
  return (key ? namedReason(key, value) : undefined) ?? assignedReason(value);
}

/** Why the argument after a flag such as `--password` is a secret, or undefined. */
export function flagValueReason(flag: string, value: string): string | undefined {
  const name = FLAG.exec(flag)?.[1];
  if (!name || value.startsWith('-') || REFERENCE.test(value)) return undefined;
  const reason = namedReason(name, value);
  return reason && `${reason}: the argument after ${flag}`;
}

/**
 * Every value of a loaded document that looks like a secret written inline, positioned through
 * `source` (the file is parsed for positions only when something is found).
 */
export function detectSecrets(value: unknown, source: SourceFile): Diagnostic[] {
  const found = new Map<string, Diagnostic>();
  const visit = (node: unknown, key: string | undefined, path: PathSegment[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        // The value's own shape names the credential best; failing that, the flag before it does
        // (a number too: `--password 48151623`).
        const text = typeof item === 'string' || typeof item === 'number' ? String(item) : undefined;
        const flagged = text !== undefined && !secretReason(key, text) ? flagValueReason(String(node[index - 1]), text) : undefined;
        if (flagged) report([...path, index], flagged);
        else visit(item, key, [...path, index]);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [name, child] of Object.entries(node)) visit(child, name, [...path, name]);
    } else if (typeof node === 'string' || typeof node === 'number') {
      const reason = secretReason(key, String(node));
      if (reason) report(path, reason);
    }
  };
  const report = (path: PathSegment[], reason: string): void => {
    const position = source.position(path);
    found.set(`${position.line}:${position.column}`, {
      file: source.file, ...position, severity: 'error', code: 'inline-secret', message: reason,
      hint: 'remove it and rotate it (it is in Git history now); store it in AWS Secrets Manager and pass its name, or read it from the environment ($NAME)',
    });
  };
  visit(value, undefined, []);
  return [...found.values()];
}
