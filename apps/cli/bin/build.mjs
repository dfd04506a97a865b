// Compiles the CLI and the workspace libraries it imports to JavaScript once per change of their
// sources, so a start costs loading JavaScript, not transforming TypeScript. The build is keyed by
// a hash of the sources and kept under apps/cli/dist (ignored by Git); a changed file, a checkout
// or a fresh clone builds again on the next start. Plain JavaScript: it runs before anything is
// compiled, and needs no install script (esbuild's binary comes as an optional dependency).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(CLI, '..', '..');
/** Where builds are kept, inside the checkout so the bundle finds its packages; tests use a folder of their own. */
const DIST = process.env.TENANCY_CLI_DIST ?? join(CLI, 'dist');
const ENTRIES = { main: join(CLI, 'src', 'main.ts'), 'synth-worker': join(CLI, 'src', 'synth-worker.ts') };
const STALE_AFTER_MS = 60 * 60 * 1000;

/** Every file the bundle depends on: the CLI's and the libraries' sources and manifests (tests excluded), the lock file, this build. */
function sourceFiles() {
  const files = [join(REPO, 'package-lock.json'), fileURLToPath(import.meta.url)];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testing' && entry.name !== 'node_modules') walk(path);
      } else if (/\.(ts|mts|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        files.push(path);
      }
    }
  };
  for (const root of [join(REPO, 'apps', 'cli'), ...readdirSync(join(REPO, 'libs')).map((lib) => join(REPO, 'libs', lib))]) {
    if (existsSync(join(root, 'src'))) walk(join(root, 'src'));
    files.push(join(root, 'package.json'));
  }
  return files.filter((file) => existsSync(file)).sort();
}

function sourceHash() {
  const hash = createHash('sha256').update(`${process.version.split('.')[0]}\0`);
  for (const file of sourceFiles()) hash.update(relative(REPO, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * Workspace libraries are bundled; every other package stays an import Node resolves at run time.
 * Two kinds are imported by the path esbuild resolved instead: a package installed inside one
 * library's node_modules (a version the root does not hold), since the bundle does not live beside
 * that library; and a file inside a package (`@cdktf/provider-aws/lib/s3-bucket`), which Node's
 * ES module resolution refuses when the package has no exports map.
 */
const externals = {
  name: 'externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith('@tenancy/') || args.pluginData === 'resolving') return undefined;
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' });
      if (resolved.errors.length) return { errors: resolved.errors };
      const nested = !resolved.path.startsWith(join(REPO, 'node_modules') + sep) && resolved.path.includes(`${sep}node_modules${sep}`);
      const deep = args.path.split('/').length > (args.path.startsWith('@') ? 2 : 1);
      return { path: nested || deep ? resolved.path : args.path, external: true };
    });
  },
};

async function build(out) {
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    entryPoints: ENTRIES,
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: true,
    logLevel: 'silent',
    plugins: [externals],
  });
}

/**
 * The compiled CLI's entry, built first when the sources changed. Concurrent starts (test
 * workers, a matrix of jobs on one runner) each build into a folder of their own and rename it
 * into place: the first rename wins, the others use it.
 */
export async function compiledMain() {
  const hash = sourceHash();
  const target = join(DIST, hash);
  const main = join(target, 'main.mjs');
  if (existsSync(main)) return main;
  mkdirSync(DIST, { recursive: true });
  const scratch = join(DIST, `.building-${hash}-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  await build(scratch);
  try {
    renameSync(scratch, target);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    if (!existsSync(main)) throw error;
  }
  // Older builds go once no process started an hour ago can still be loading their chunks.
  for (const old of readdirSync(DIST)) {
    const path = join(DIST, old);
    if (old !== hash && Date.now() - statSync(path).mtimeMs > STALE_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
  return main;
}
