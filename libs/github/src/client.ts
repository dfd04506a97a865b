import { Octokit } from 'octokit';

export interface GitHubOptions {
  readonly token: string;
  /** The API root; GITHUB_API_URL in Actions. @default https://api.github.com */
  readonly baseUrl?: string;
  /** Retries of a request that failed with 5xx or hit a rate limit. @default 3 */
  readonly retries?: number;
  /** Milliseconds the backoff is counted in: a retry waits (attempt^2) of them. @default 1000 */
  readonly backoffMs?: number;
  /** Where retries are reported. @default stderr */
  readonly log?: (message: string) => void;
}

export type GitHub = InstanceType<typeof Octokit>;

/**
 * Octokit with retries of 5xx answers (quadratic backoff) and of primary and secondary rate
 * limits (waiting the time GitHub asks), up to `retries` times; 4xx other than limits fail at once.
 */
export function createGitHub(options: GitHubOptions): GitHub {
  const retries = options.retries ?? 3;
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`));
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    log(`github: ${kind} on ${request.method} ${request.url}; ${retryCount < retries ? `retrying in ${retryAfter} s` : 'giving up'}`);
    return retryCount < retries;
  };
  return new Octokit({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    // 429 is left to the throttling plugin, which waits as long as GitHub says; the retry plugin
    // would try again after its own short backoff and count against the limit.
    retry: { retries, retryAfterBaseValue: options.backoffMs ?? 1000, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
    throttle: { onRateLimit: onLimit('rate limit'), onSecondaryRateLimit: onLimit('secondary rate limit') },
    log: { debug: () => undefined, info: () => undefined, warn: log, error: log },
  });
}
