import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyExampleFleet, git, REPO_ROOT } from '@tenancy/model/testing';

export const REPO = REPO_ROOT;

/** A real Git repository in a temp folder, holding a copy of the example fleet. Delete it with `dispose()`. */
export class FleetRepo {
  private constructor(readonly root: string) {}

  /** A repository whose first commit, dated `date`, is the example fleet. */
  static async create(date = '2026-01-05T10:00:00Z'): Promise<FleetRepo> {
    const { root } = copyExampleFleet({ prefix: 'tenancy-repo-' });
    writeFileSync(join(root, '.gitignore'), '.tenancy/\n.offline-state/\n');
    git(root, ['init', '-q', '-b', 'main']);
    const repo = new FleetRepo(root);
    await repo.commit('the example fleet', () => undefined, date);
    return repo;
  }

  /** Runs git in the repository, as the tests' committer. */
  git(...args: string[]): string {
    return git(this.root, args);
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  write(path: string, text: string): void {
    writeFileSync(join(this.root, path), text);
  }

  /** Replaces `from` by `to` in a file; throws when `from` is not there, so a test cannot edit nothing. */
  edit(path: string, from: string, to: string): void {
    const text = this.read(path);
    if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
    this.write(path, text.replace(from, to));
  }

  remove(path: string): void {
    rmSync(join(this.root, path));
  }

  /** Makes the changes and commits them all, dated `date`; returns the commit id. */
  async commit(message: string, change: (repo: FleetRepo) => void, date = '2026-01-06T10:00:00Z'): Promise<string> {
    change(this);
    git(this.root, ['add', '-A']);
    git(this.root, ['commit', '--quiet', '--allow-empty', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    return git(this.root, ['rev-parse', 'HEAD']).trim();
  }

  /** A copy in a new temp folder: history, work tree and ignored files alike. */
  copy(): FleetRepo {
    const root = mkdtempSync(join(tmpdir(), 'tenancy-repo-'));
    cpSync(this.root, root, { recursive: true });
    return new FleetRepo(root);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
