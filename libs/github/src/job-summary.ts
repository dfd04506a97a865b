import { appendFileSync } from 'node:fs';

/** GitHub keeps at most this much of a step's summary. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

/** Appends markdown to the job summary when the run has one ($GITHUB_STEP_SUMMARY); returns whether it did. */
export function appendJobSummary(markdown: string, file = process.env.GITHUB_STEP_SUMMARY): boolean {
  if (!file) return false;
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  return true;
}
