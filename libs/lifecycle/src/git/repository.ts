import { execFile, spawn } from 'node:child_process';
import { posix } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/** One path changed between two commits. */
export interface FileChange {
  readonly status: 'added' | 'modified' | 'deleted';
  readonly path: string;
}

/** The deletion (or creation) of a file: which commit removed (or added) it, and when. */
export interface Deletion {
  readonly path: string;
  readonly commit: string;
  /** Commit date, ISO 8601 in UTC. */
  readonly date: string;
}

/** Git as this project reads it: contents at a ref, changes between refs, deletions in history. */
export class Repository {
  private readonly git: SimpleGit;

  constructor(readonly root: string) {
    this.git = simpleGit(root);
  }

  /** The full commit id a ref names; throws with Git's message when it names none. */
  async resolve(ref: string): Promise<string> {
    return (await this.git.raw(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).trim();
  }

  /** Whether `ancestor` is `descendant` or one of its ancestors; false when either is unknown here. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    // simple-git resolves a non-zero exit with empty stderr, which is how Git answers "no" here.
    return new Promise((resolve) => {
      execFile('git', ['merge-base', '--is-ancestor', ancestor, descendant], { cwd: this.root }, (error) => resolve(!error));
    });
  }

  /** The first parent of a commit, or undefined for a root commit. */
  async parent(ref: string): Promise<string | undefined> {
    return this.resolve(`${ref}^`).catch(() => undefined);
  }

  /** Whether the work tree has commits at all. */
  async hasCommits(): Promise<boolean> {
    return (await this.git.raw(['rev-list', '--max-count=1', '--all'])).trim() !== '';
  }

  /** A file's content at a commit, or undefined when it does not exist there. */
  async read(ref: string, path: string): Promise<Buffer | undefined> {
    try {
      return await this.git.binaryCatFile(['blob', `${ref}:${path}`]);
    } catch {
      return undefined;
    }
  }

  /**
   * Contents of many files at a commit, missing paths left out: one `git ls-tree` per folder for
   * the blob ids, then one `git cat-file --batch` for them all. Naming files as `ref:path` instead
   * made Git search a folder's tree once per file, quadratic in a folder of 10,000 tenants.
   */
  async readMany(ref: string, paths: readonly string[]): Promise<Map<string, Buffer>> {
    const blobs = new Map<string, string>();
    for (const dir of new Set(paths.map((path) => posix.dirname(path)))) {
      const out = await this.git.raw(['ls-tree', '-z', '--full-tree', ref, '--', ...(dir === '.' ? [] : [`${dir}/`])]);
      for (const entry of out.split('\0')) {
        const tab = entry.indexOf('\t');
        const [, type, object] = entry.slice(0, tab).split(' ');
        if (type === 'blob') blobs.set(entry.slice(tab + 1), object!);
      }
    }
    const wanted = paths.filter((path) => blobs.has(path));
    const contents = await this.catFiles(wanted.map((path) => blobs.get(path)!));
    return new Map(wanted.map((path, i) => [path, contents[i]!]));
  }

  private catFiles(objects: readonly string[]): Promise<Buffer[]> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { cwd: this.root, stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) return reject(new Error(`git cat-file exited with ${code}`));
        const out = Buffer.concat(chunks);
        const contents: Buffer[] = [];
        let offset = 0;
        for (const object of objects) {
          const newline = out.indexOf(0x0a, offset);
          const header = out.subarray(offset, newline).toString();
          if (!header.startsWith(`${object} blob `)) return reject(new Error(`git cat-file answered ${header} for ${object}`));
          const size = Number(header.split(' ')[2]);
          offset = newline + 1;
          contents.push(out.subarray(offset, offset + size));
          offset += size + 1;
        }
        resolve(contents);
      });
      child.stdin.end(objects.map((object) => `${object}\n`).join(''));
    });
  }

  /** Paths of files under `dir` at a commit (not recursive). */
  async list(ref: string, dir: string): Promise<string[]> {
    const out = await this.git.raw(['ls-tree', '--name-only', ref, '--', `${dir}/`]);
    return out.split('\n').filter(Boolean);
  }

  /**
   * Changes between two commits under `paths`, compared path by path: a file deleted and another
   * added are two changes, whatever their likeness (a tenant's identity is its file's name, so Git's
   * rename detection, a guess from content, must never pair two tenants).
   */
  async changes(base: string, head: string, paths: readonly string[]): Promise<FileChange[]> {
    const out = await this.git.raw(['diff', '--name-status', '--no-renames', '--no-color', base, head, '--', ...paths]);
    const changes: FileChange[] = [];
    for (const line of out.split('\n').filter(Boolean)) {
      const [status, first] = line.split('\t') as [string, string];
      if (status === 'A') changes.push({ status: 'added', path: first });
      else if (status === 'D') changes.push({ status: 'deleted', path: first });
      else changes.push({ status: 'modified', path: first });
    }
    return changes;
  }

  /** Every deletion of a file under `dir` in `revisions` (a ref, or a range such as `base..head`), newest first. */
  async deletions(revisions: string, dir: string): Promise<Deletion[]> {
    return this.fileLog('D', revisions, dir);
  }

  /** Every creation of a file under `dir` in `revisions`, newest first. */
  async additions(revisions: string, dir: string): Promise<Deletion[]> {
    return this.fileLog('A', revisions, dir);
  }

  private async fileLog(filter: 'A' | 'D', revisions: string, dir: string): Promise<Deletion[]> {
    const out = await this.git.raw(['log', `--diff-filter=${filter}`, '--no-renames', '--format=%x00%H %cI', '--name-only', revisions, '--', `${dir}/`]);
    const deletions: Deletion[] = [];
    for (const entry of out.split('\0').filter((e) => e.trim())) {
      const [header, ...paths] = entry.split('\n').filter(Boolean);
      const [commit, date] = header!.split(' ') as [string, string];
      for (const path of paths) deletions.push({ path, commit, date: new Date(date).toISOString() });
    }
    return deletions;
  }

  /** The commit date of a ref, ISO 8601 in UTC. */
  async date(ref: string): Promise<string> {
    return new Date((await this.git.raw(['show', '-s', '--format=%cI', ref])).trim()).toISOString();
  }
}
