import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleStacks } from '../testing/example-stacks';
import { supervisordArgument, supervisordConfig } from './supervisord-config';

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
    expect(ini['program:mailer']).toMatchObject({
      command: '/app/mailer --from noreply@hooli.example', autostart: 'true', autorestart: 'unexpected', exitcodes: '0',
    });
  });

  it('escapes arguments so that comments, quotes and % survive', () => {
    expect(supervisordArgument('a ;comment')).toBe('a\\ \\;comment');
    expect(supervisordArgument('100%')).toBe('100%%');
    expect(supervisordArgument('')).toBe("''");
    expect(() => supervisordArgument('line\nbreak')).toThrow(/control characters/);
    expect(() => supervisordConfig([{ name: 'a', command: ['x'] }, { name: 'a', command: ['y'] }], 'h')).toThrow(/unique/);
  });

  it('reads back every argument exactly through Python shlex, as supervisord splits commands', () => {
    const python = spawnSync('python3', ['-c', 'import shlex,sys,json; print(json.dumps(shlex.split(sys.stdin.read())))'], {
      input: TRICKY.map(supervisordArgument).join(' ').replace(/%%/g, '%'), encoding: 'utf8',
    });
    if (python.status === null) console.warn('\n*** python3 missing: skipping the shlex check ***\n');
    else expect(JSON.parse(python.stdout)).toEqual(TRICKY);
  });

  const supervisord = spawnSync('supervisord', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!supervisord) console.warn('\n*** supervisord is not installed (apt-get install supervisor): skipping the run of the real supervisord ***\n');

  it.skipIf(!supervisord)('runs under the real supervisord: each program receives its exact arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenancy-supervisord-'));
    try {
      const script = join(dir, 'record.py');
      writeFileSync(script, 'import sys, json\nopen(sys.argv[1], "w").write(json.dumps(sys.argv[2:]))\n');
      const programs = [
        { name: 'tricky', command: ['python3', script, join(dir, 'tricky.json'), ...TRICKY] },
        { name: 'plain', command: ['python3', script, join(dir, 'plain.json'), '--queue', 'default'] },
      ];
      const config = supervisordConfig(programs, 'test').replace('pidfile=/tmp/supervisord.pid', `pidfile=${join(dir, 'supervisord.pid')}`);
      writeFileSync(join(dir, 'supervisord.conf'), config);
      const child = spawn('supervisord', ['-c', join(dir, 'supervisord.conf')], { stdio: 'ignore' });
      const deadline = Date.now() + 20_000;
      const done = () => ['tricky', 'plain'].every((p) => { try { readFileSync(join(dir, `${p}.json`)); return true; } catch { return false; } });
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      expect(JSON.parse(readFileSync(join(dir, 'tricky.json'), 'utf8'))).toEqual(TRICKY);
      expect(JSON.parse(readFileSync(join(dir, 'plain.json'), 'utf8'))).toEqual(['--queue', 'default']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
