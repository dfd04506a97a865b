/** A process supervisord runs inside the packed workload. */
export interface SupervisedProgram {
  /** Program name, a DNS label. */
  readonly name: string;
  /** Command and arguments. */
  readonly command: readonly string[];
}

const SAFE = /[^A-Za-z0-9_@%+=:,./-]/g;

/**
 * One argument as supervisord reads it: `%` doubled for its interpolation, then every other
 * unsafe character backslash-escaped for `shlex.split`. Escaping instead of quoting means no space
 * is ever followed by `;` or `#`, which supervisord's INI reader would take for a comment.
 */
export function supervisordArgument(argument: string): string {
  if (/[\x00-\x1f\x7f]/.test(argument)) throw new Error(`command arguments must not hold control characters, got ${JSON.stringify(argument)}`);
  if (argument === '') return "''";
  return argument.replace(SAFE, '\\$&').replace(/%/g, '%%');
}

/**
 * supervisord.conf for the packed workload: supervisord in the foreground (the container's main
 * process), logging to the container's output, one program per resource, restarted when it exits
 * with anything but 0.
 */
export function supervisordConfig(programs: readonly SupervisedProgram[], header: string): string {
  if (programs.length === 0) throw new Error('a packed workload needs at least one program');
  const names = new Set<string>();
  const sections = programs.map(({ name, command }) => {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || names.has(name)) throw new Error(`program names must be unique DNS labels, got ${name}`);
    names.add(name);
    if (command.length === 0) throw new Error(`program ${name} has no command`);
    return [
      `[program:${name}]`,
      `command=${command.map(supervisordArgument).join(' ')}`,
      'autostart=true',
      'autorestart=unexpected',
      'exitcodes=0',
      'startsecs=5',
      'stopsignal=TERM',
      'stopwaitsecs=30',
      'stdout_logfile=/dev/stdout',
      'stdout_logfile_maxbytes=0',
      'stderr_logfile=/dev/stderr',
      'stderr_logfile_maxbytes=0',
    ].join('\n');
  });
  return [
    `; ${header}`,
    '[supervisord]',
    'nodaemon=true',
    'logfile=/dev/null',
    'logfile_maxbytes=0',
    'pidfile=/tmp/supervisord.pid',
    '',
    sections.join('\n\n'),
    '',
  ].join('\n');
}
