import type { Diagnostic } from '@tenancy/model';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** A diagnostic as a GitHub Actions workflow command: an annotation on the file and line. */
export function githubAnnotation(d: Diagnostic): string {
  const properties = `file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${escapeProperty(d.code)}`;
  return `::${d.severity === 'error' ? 'error' : 'warning'} ${properties}::${escapeData(`${d.message}${d.hint ? `; ${d.hint}` : ''}`)}`;
}
