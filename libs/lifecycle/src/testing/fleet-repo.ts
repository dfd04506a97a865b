import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit, type SimpleGit } from 'simple-git';

export const REPO = fileURLToPath(new URL('../../../..', import.meta.url));

/** A real Git repository in a temp folder, holding a copy of the example fleet. Delete it with `dispose()`. */
export class FleetRepo {
  private constructor(readonly root: string, private readonly git: SimpleGit) {}

  /** A repository whose first commit, dated `date`, is the example fleet. */
  static async create(date = '2026-01-05T10:00:00Z'): Promise<FleetRepo> {
    const root = mkdtempSync(join(tmpdir(), 'tenancy-repo-'));
    cpSync(join(REPO, 'platform.yaml'), join(root, 'platform.yaml'));
    cpSync(join(REPO, 'tenants'), join(root, 'tenants'), { recursive: true });
    writeFileSync(join(root, '.gitignore'), '.tenancy/\n');
    const git = simpleGit(root);
    await git.init(['-b', 'main']);
    await git.addConfig('user.email', 'tests@tenancy.dev').addConfig('user.name', 'tenancy tests');
    const repo = new FleetRepo(root, git);
    await repo.commit('the example fleet', () => undefined, date);
    return repo;
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
    await this.git.add(['-A']);
    // simple-git 4.0 will not pass GIT_*_DATE through its environment guard; commit dates matter here.
    execFileSync('git', ['commit', '--quiet', '--allow-empty', '-m', message], { cwd: this.root, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
    return (await this.git.revparse(['HEAD'])).trim();
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
