import type { GitHub } from './client';

export interface StickyComment {
  readonly owner: string;
  readonly repo: string;
  readonly issueNumber: number;
  readonly body: string;
  /** Hidden text that identifies the comment; the body must contain it. */
  readonly marker: string;
}

/**
 * Creates the comment, or edits it in place when a bot's comment with the marker exists already,
 * so a pull request never gets a second one. Post it with GITHUB_TOKEN or a GitHub App's token. Returns what was done and the comment's id.
 */
export async function upsertStickyComment(github: GitHub, comment: StickyComment): Promise<{ action: 'created' | 'updated'; id: number }> {
  if (!comment.body.includes(comment.marker)) throw new Error('the comment body must contain its marker, or it could never be found again');
  const existing = await github.paginate(github.rest.issues.listComments, { owner: comment.owner, repo: comment.repo, issue_number: comment.issueNumber, per_page: 100 });
  // Anyone can paste the marker into a comment; only a bot's (GITHUB_TOKEN's, an app's) is ours.
  const mine = existing.find((c) => c.user?.type === 'Bot' && c.body?.includes(comment.marker));
  if (mine) {
    await github.rest.issues.updateComment({ owner: comment.owner, repo: comment.repo, comment_id: mine.id, body: comment.body });
    return { action: 'updated', id: mine.id };
  }
  const created = await github.rest.issues.createComment({ owner: comment.owner, repo: comment.repo, issue_number: comment.issueNumber, body: comment.body });
  return { action: 'created', id: created.data.id };
}
