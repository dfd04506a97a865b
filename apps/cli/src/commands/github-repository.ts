import { createGitHub, type GitHub } from '@tenancy/github';
import { UsageError } from '../exit-codes';

/** The repository and an API client from the command line, else the Actions environment. */
export function githubFrom(repository: string | undefined): { github: GitHub; owner: string; repo: string } {
  const fullName = repository ?? process.env.GITHUB_REPOSITORY;
  const [owner, repo, ...rest] = (fullName ?? '').split('/');
  if (!owner || !repo || rest.length) throw new UsageError(`--repository must be owner/name, got ${fullName ?? 'nothing'} (or set GITHUB_REPOSITORY)`);
  const token = process.env.GITHUB_TOKEN;
  if (!token) throw new UsageError('GITHUB_TOKEN is not set: the workflow passes it to this step');
  return { github: createGitHub({ token, ...(process.env.GITHUB_API_URL ? { baseUrl: process.env.GITHUB_API_URL } : {}) }), owner, repo };
}
