/** How bad a problem is: an error fails validation, a warning does not. */
export type Severity = 'error' | 'warning';

/**
 * One problem found in one file, as data. Only the CLI turns diagnostics into text and exit codes.
 * Lines and columns are 1-based, as editors show them.
 */
export interface Diagnostic {
  /** Path of the file, relative to the repository root where the file is inside it. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: Severity;
  /** Stable kebab-case identifier of the rule, such as `unknown-cell`. */
  readonly code: string;
  /** What is wrong, naming the key or value at fault. */
  readonly message: string;
  /** How to fix it. */
  readonly hint?: string;
}

/** A position in a file before the file name is attached. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** `tenants/acme.yaml:7:9: error: cell 'blue-3' is not defined in platform.yaml; use one of: blue-1, blue-2` */
export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? `; ${d.hint}` : '';
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}${hint}`;
}

/** Orders diagnostics by file, then position, so output is stable whatever order the checks ran in. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
