import { appendFileSync } from 'node:fs';

/** GitHub keeps at most this much of a step's summary. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

const CUT_NOTE = '\n… cut here: GitHub keeps 1 MiB of a job summary; the job log has every line.\n';

/**
 * Appends markdown to the job summary when the run has one ($GITHUB_STEP_SUMMARY); returns whether
 * it did. Markdown over the limit is cut at a line end with a note, as GitHub would drop it whole.
 */
export function appendJobSummary(markdown: string, file = process.env.GITHUB_STEP_SUMMARY): boolean {
  if (!file) return false;
  appendFileSync(file, fitSummary(markdown.endsWith('\n') ? markdown : `${markdown}\n`));
  return true;
}

export function fitSummary(markdown: string, limit = JOB_SUMMARY_LIMIT): string {
  if (Buffer.byteLength(markdown) <= limit) return markdown;
  const room = limit - Buffer.byteLength(CUT_NOTE);
  const cut = Buffer.from(markdown).subarray(0, room).toString().replace(/\uFFFD$/, '');
  return `${cut.slice(0, cut.lastIndexOf('\n') + 1)}${CUT_NOTE}`;
}
