import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { exampleStacks } from '../testing/example-stacks';
import { asTerraformReads } from '../testing/terraform-text';
import { STOP_ON_EXIT_LISTENER, SUPERVISORD_FILES, supervisordArgument, supervisordConfig } from './supervisord-config';

// The real supervisord runs programs for seconds each, and backs off between their starts.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** A tiny INI reader: sections of key=value lines, comments skipped. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) sections[section[1]!] = current = {};
    else current![line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return sections;
}

const TRICKY = ['/app/run', 'two words', "it's", 'a ;comment', 'x #hash', '100%', '$HOME', 'back\\slash', '"quoted"', ''];

describe('supervisord.conf of the packed workload', () => {
  it('has a program per non-critical resource with the required settings, and runs supervisord in the foreground', async () => {
    const example = await exampleStacks();
    const stack = example.byName.get('tenant-hooli-workload')!;
    const configMap = stack.resource!.kubernetes_config_map_v1!['packed_supervisord-config'] as { data: Record<string, string> };
    const ini = parseIni(configMap.data['supervisord.conf']!);
    expect(ini.supervisord).toMatchObject({ nodaemon: 'true' });
    expect(Object.keys(ini).filter((s) => s.startsWith('program:'))).toEqual(['program:scheduler', 'program:mailer', 'program:reports']);
    expect(ini['program:mailer']).toMatchObject({ command: '/app/mailer --from noreply@hooli.example', autostart: 'true', autorestart: 'false' });
    expect(ini['eventlistener:stop-on-exit']).toMatchObject({ command: 'sh /etc/supervisord/stop-on-exit.sh', events: 'PROCESS_STATE_EXITED,PROCESS_STATE_FATAL' });
    expect(asTerraformReads(configMap.data['stop-on-exit.sh']!)).toBe(STOP_ON_EXIT_LISTENER);
    const deployment = stack.resource!.kubernetes_deployment_v1!.packed_workload_deployment as { spec: { template: { spec: { container: { liveness_probe: unknown }[] } } } };
    expect(deployment.spec.template.spec.container[0]!.liveness_probe).toMatchObject({ exec: { command: ['supervisorctl', '-c', '/etc/supervisord/supervisord.conf', 'status'] } });
  });

  it('escapes arguments so that comments, quotes and % survive', () => {
    expect(supervisordArgument('a ;comment')).toBe('a\\ \\;comment');
    expect(supervisordArgument('100%')).toBe('100%%');
    expect(supervisordArgument('')).toBe("''");
    expect(() => supervisordArgument('line\nbreak')).toThrow(/control characters/);
    expect(() => supervisordConfig([{ name: 'a', command: ['x'] }, { name: 'a', command: ['y'] }], 'h')).toThrow(/unique/);
  });

  const python = spawnSync('python3', ['--version']).status === 0;
  if (!python) console.warn('\n*** python3 is not installed: skipping the shlex check ***\n');

  it.skipIf(!python)('reads back every argument exactly through Python shlex, as supervisord splits commands', () => {
    const split = spawnSync('python3', ['-c', 'import shlex,sys,json; print(json.dumps(shlex.split(sys.stdin.read())))'], {
      input: TRICKY.map(supervisordArgument).join(' ').replace(/%%/g, '%'), encoding: 'utf8',
    });
    expect(split.status, split.stderr).toBe(0);
    expect(JSON.parse(split.stdout)).toEqual(TRICKY);
  });

  const supervisord = spawnSync('supervisord', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!supervisord) console.warn('\n*** supervisord is not installed (apt-get install supervisor): skipping the run of the real supervisord ***\n');

  /** The generated config and listener in `dir`, with supervisord's pid and socket there too. */
  function install(dir: string, programs: Parameters<typeof supervisordConfig>[0]): string {
    const config = supervisordConfig(programs, 'test', dir).replaceAll('/tmp/supervisord.', join(dir, 'supervisord.'));
    writeFileSync(join(dir, SUPERVISORD_FILES.config), config);
    writeFileSync(join(dir, SUPERVISORD_FILES.listener), STOP_ON_EXIT_LISTENER);
    return join(dir, SUPERVISORD_FILES.config);
  }

  /** Runs supervisord until it exits or `within` ms pass; what it wrote, and how long it ran. */
  async function runSupervisord(config: string, within: number, whileRunning?: () => Promise<void>): Promise<{ exited: boolean; output: string; ms: number }> {
    const started = Date.now();
    // A FIFO, as container runtimes give: supervisord reopens /dev/stdout, which Node's socket pipes refuse (ENXIO).
    const fifo = `${config}.out`;
    execFileSync('mkfifo', [fifo]);
    let output = '';
    const reader = createReadStream(fifo, 'utf8').on('data', (chunk) => { output += String(chunk); });
    const drained = new Promise<void>((r) => reader.once('close', () => r()));
    // Read-write, so the open does not wait for the reader, which opens on a later tick.
    const fd = openSync(fifo, 'r+');
    const child = spawn('supervisord', ['-c', config], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    const exit = new Promise<void>((r) => child.once('exit', () => r()));
    const exited = await Promise.race([exit.then(() => true), (async () => {
      await whileRunning?.();
      await new Promise((r) => setTimeout(r, Math.max(0, within - (Date.now() - started))));
      return false;
    })()]);
    if (!exited) {
      child.kill('SIGTERM');
      await exit;
    }
    const ms = Date.now() - started;
    await drained;
    return { exited, output, ms };
  }

  const withDir = async (run: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'tenancy-supervisord-'));
    try { await run(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
  };
  const ctl = (config: string, ...args: string[]) => spawnSync('supervisorctl', ['-c', config, ...args], { encoding: 'utf8' });

  it.skipIf(!supervisord)('runs under the real supervisord: each program receives its exact arguments, and the liveness probe sees them run', async () => {
    await withDir(async (dir) => {
      const script = join(dir, 'record.py');
      writeFileSync(script, 'import sys, json, time\nopen(sys.argv[1], "w").write(json.dumps(sys.argv[2:]))\ntime.sleep(60)\n');
      const config = install(dir, [
        { name: 'tricky', command: ['python3', script, join(dir, 'tricky.json'), ...TRICKY] },
        { name: 'plain', command: ['python3', script, join(dir, 'plain.json'), '--queue', 'default'] },
      ]);
      let probes: number[] = [];
      const run = await runSupervisord(config, 9_000, async () => {
        await new Promise((r) => setTimeout(r, 7_000));
        probes = [ctl(config, 'status').status!, ctl(config, 'stop', 'plain').status!, ctl(config, 'status').status!];
      });
      expect(JSON.parse(readFileSync(join(dir, 'tricky.json'), 'utf8'))).toEqual(TRICKY);
      expect(JSON.parse(readFileSync(join(dir, 'plain.json'), 'utf8'))).toEqual(['--queue', 'default']);
      // Healthy: status 0; a program stopped by hand (no exit event): the probe fails (supervisorctl exits 3).
      expect(probes).toEqual([0, 0, 3]);
      expect(run.exited, run.output).toBe(false);
    });
  });

  it.skipIf(!supervisord)('stops the container when a running program exits, even with 0', async () => {
    await withDir(async (dir) => {
      const config = install(dir, [
        { name: 'steady', command: ['sleep', '60'] },
        { name: 'quitter', command: ['sh', '-c', 'sleep 6; exit 0'] },
      ]);
      const run = await runSupervisord(config, 30_000);
      expect(run.exited, run.output).toBe(true);
      expect(run.output).toMatch(/tenancy: PROCESS_STATE_EXITED processname:quitter groupname:quitter from_state:RUNNING expected:\d pid:\d+: stopping supervisord/);
      expect(run.ms).toBeGreaterThanOrEqual(6_000);
    });
  });

  it.skipIf(!supervisord)('stops the container when a program cannot start and goes FATAL', async () => {
    await withDir(async (dir) => {
      const config = install(dir, [
        { name: 'steady', command: ['sleep', '60'] },
        { name: 'broken', command: ['sh', '-c', 'echo cannot connect >&2; exit 1'] },
      ]);
      const run = await runSupervisord(config, 30_000);
      expect(run.exited, run.output).toBe(true);
      expect(run.output).toMatch(/tenancy: PROCESS_STATE_FATAL processname:broken groupname:broken from_state:BACKOFF: stopping supervisord/);
      expect(run.output).toContain('cannot connect');
    });
  });
});
