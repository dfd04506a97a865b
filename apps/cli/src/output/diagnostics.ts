import { formatDiagnostic, type Diagnostic } from '@tenancy/model';

export type OutputFormat = 'text' | 'json' | 'github';

/** Text for people, one diagnostic per line, then a count. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], write: (line: string) => void): void {
  for (const d of diagnostics) write(formatDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((d) => d.file)).size;
  if (diagnostics.length) {
    write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`);
  }
}
