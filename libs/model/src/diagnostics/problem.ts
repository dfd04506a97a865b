/**
 * Schema error messages carry both halves of a diagnostic, what is wrong and how to fix it,
 * joined by a newline that the issue translator splits again.
 */
export function problem(what: string, fix: string): string {
  return `${what}\n${fix}`;
}

/**
 * An `error` option for a type check that leaves a missing value to the generic "is required"
 * message, so that a missing key is never reported as a wrong one.
 */
export function whenPresent(what: string, fix: string): (issue: { input?: unknown }) => string | undefined {
  return (issue) => (issue.input === undefined ? undefined : problem(what, fix));
}

export function splitProblem(message: string): { what: string; fix?: string } {
  const newline = message.indexOf('\n');
  return newline < 0 ? { what: message } : { what: message.slice(0, newline), fix: message.slice(newline + 1) };
}
