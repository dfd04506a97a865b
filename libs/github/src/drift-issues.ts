import type { GitHub } from './client';

export const DRIFT_LABEL = 'drift';

export interface DriftFinding {
  /** What drifted: `tenant acme`, or a cell or pool stack such as `cell-blue-1`. */
  readonly subject: string;
  readonly drifted: boolean;
  /** Markdown: which stacks drifted and how. */
  readonly summary: string;
}

const title = (subject: string) => `Drift: ${subject}`;

/**
 * Keeps one open issue per drifted tenant (or cell or pool), labelled `drift`: opened when drift is found, its body
 * updated while drift remains, closed with a comment once the tenant plans clean again.
 */
export async function syncDriftIssues(github: GitHub, repository: { owner: string; repo: string }, findings: readonly DriftFinding[]): Promise<{ subject: string; action: 'opened' | 'updated' | 'closed' | 'none'; number?: number }[]> {
  const open = await github.paginate(github.rest.issues.listForRepo, { ...repository, state: 'open', labels: DRIFT_LABEL, per_page: 100 });
  const byTitle = new Map(open.filter((i) => !i.pull_request).map((i) => [i.title, i]));
  const results = [];
  for (const finding of findings) {
    const issue = byTitle.get(title(finding.subject));
    if (finding.drifted && !issue) {
      const created = await github.rest.issues.create({ ...repository, title: title(finding.subject), body: finding.summary, labels: [DRIFT_LABEL] });
      results.push({ subject: finding.subject, action: 'opened' as const, number: created.data.number });
    } else if (finding.drifted && issue && issue.body === finding.summary) {
      results.push({ subject: finding.subject, action: 'none' as const, number: issue.number });
    } else if (finding.drifted && issue) {
      await github.rest.issues.update({ ...repository, issue_number: issue.number, body: finding.summary });
      results.push({ subject: finding.subject, action: 'updated' as const, number: issue.number });
    } else if (!finding.drifted && issue) {
      await github.rest.issues.createComment({ ...repository, issue_number: issue.number, body: `${finding.subject} plans clean again: no drift.` });
      await github.rest.issues.update({ ...repository, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
      results.push({ subject: finding.subject, action: 'closed' as const, number: issue.number });
    } else {
      results.push({ subject: finding.subject, action: 'none' as const });
    }
  }
  return results;
}
