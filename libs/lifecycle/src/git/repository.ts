import { execFile, spawn } from 'node:child_process';
import { posix } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/** One path changed between two commits. */
export interface FileChange {
  readonly status: 'added' | 'modified' | 'deleted';
  /** The path exactly as Git stores it (read with -z: never quoted or escaped). */
  readonly path: string;
  /** What the path is at head (at base, when deleted): a file, a symbolic link, a submodule. */
  readonly kind: TreeEntryKind;
}

/** What a path of a tree is, by its Git mode. */
export type TreeEntryKind = 'file' | 'symlink' | 'directory' | 'submodule';

/** One entry of a folder at a commit. */
export interface TreeEntry {
  readonly path: string;
  readonly kind: TreeEntryKind;
}

/** The kind of a Git mode (100644, 100755, 120000, 040000, 160000). */
export function kindOfMode(mode: string): TreeEntryKind {
  if (mode === '120000') return 'symlink';
  if (mode === '160000') return 'submodule';
  if (mode.startsWith('04')) return 'directory';
  return 'file';
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
    return (await this.entries(ref, dir)).map((e) => e.path);
  }

  /** Every entry under `dir` at a commit, files or not (not recursive), as Git stores their paths. */
  async entries(ref: string, dir: string): Promise<TreeEntry[]> {
    const out = await this.git.raw(['ls-tree', '-z', '--full-tree', ref, '--', `${dir}/`]);
    return out.split('\0').filter(Boolean).map((entry) => {
      const tab = entry.indexOf('\t');
      return { path: entry.slice(tab + 1), kind: kindOfMode(entry.slice(0, entry.indexOf(' '))) };
    });
  }

  /** What `path` itself is at a commit (a folder, a link, ...), or undefined when it is not there. */
  async entry(ref: string, path: string): Promise<TreeEntry | undefined> {
    const out = await this.git.raw(['ls-tree', '-z', '--full-tree', ref, '--', path]);
    const line = out.split('\0').find((entry) => entry.slice(entry.indexOf('\t') + 1) === path);
    return line ? { path, kind: kindOfMode(line.slice(0, line.indexOf(' '))) } : undefined;
  }

  /**
   * Changes between two commits under `paths`, compared path by path: a file deleted and another
   * added are two changes, whatever their likeness (a tenant's identity is its file's name, so Git's
   * rename detection, a guess from content, must never pair two tenants).
   */
  async changes(base: string, head: string, paths: readonly string[]): Promise<FileChange[]> {
    // -z: paths as Git stores them, never quoted; --raw: each side's mode, so a link or a submodule is seen as one.
    const out = await this.git.raw(['diff', '--raw', '-z', '--no-renames', '--no-color', '--no-abbrev', base, head, '--', ...paths]);
    const fields = out.split('\0');
    const changes: FileChange[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [oldMode, newMode, , , status] = fields[i]!.replace(/^:/, '').split(' ') as [string, string, string, string, string];
      const path = fields[i + 1]!;
      if (status === 'A') changes.push({ status: 'added', path, kind: kindOfMode(newMode) });
      else if (status === 'D') changes.push({ status: 'deleted', path, kind: kindOfMode(oldMode) });
      else changes.push({ status: 'modified', path, kind: kindOfMode(newMode) });
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
    // -z: every path and header is a NUL-ended field; paths are never quoted, and every one is under `dir/`.
    const out = await this.git.raw(['log', '-z', `--diff-filter=${filter}`, '--no-renames', '--format=%H %cI', '--name-only', revisions, '--', `${dir}/`]);
    const deletions: Deletion[] = [];
    let commit = '';
    let date = '';
    for (const field of out.split('\0').map((f) => f.replace(/^\n/, '')).filter(Boolean)) {
      if (field.startsWith(`${dir}/`)) deletions.push({ path: field, commit, date: new Date(date).toISOString() });
      else [commit, date] = field.split(' ') as [string, string];
    }
    return deletions;
  }

  /** The commit date of a ref, ISO 8601 in UTC. */
  async date(ref: string): Promise<string> {
    return new Date((await this.git.raw(['show', '-s', '--format=%cI', ref])).trim()).toISOString();
  }
}
