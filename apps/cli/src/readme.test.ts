import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_JSON_FILE, PLAN_RECORD_FILE } from '@tenancy/lifecycle';
import { REPO, runCli } from './testing/run-cli';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** What the README says of the commands, checked against the commands themselves. */
describe('the README', () => {
  it('names every command, and says which take --root as their help does', () => {
    const commands = [...runCli(['--help']).stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toHaveLength(18);
    // A command with subcommands takes --root when one of them does.
    const takesRoot = (command: string) => {
      const help = runCli([command, '--help']).stdout;
      const subcommands = [...help.matchAll(/^ {2}([a-z-]+) \[options\]/gm)].map((m) => m[1]!);
      return subcommands.length ? subcommands.some((sub) => runCli([command, sub, '--help']).stdout.includes('--root')) : help.includes('--root');
    };
    const without = /Every command but ((?:`[a-z-]+`(?:, | and )?)+) reads a repository: `--root DIR`/.exec(README)![1]!.match(/[a-z-]+/g)!;
    for (const command of commands) {
      expect(README, command).toContain(`\`tenancy ${command}`);
      expect(takesRoot(command), `${command} --root`).toBe(!without.includes(command));
    }
  });

  it('names the files a plan leaves as the code writes them', () => {
    expect(README).toContain(`\`${PLAN_RECORD_FILE}\` beside it`);
    expect(README).toContain(`\`terraform show -json\` of the plan is beside it in \`${PLAN_JSON_FILE}\``);
  });
});
