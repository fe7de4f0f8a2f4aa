import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CommandResult, makeTempDir, runCommand } from '@juju-ssh/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEphemeralKey } from './ephemeral-key.js';
import { ephemeralKeyLine } from './ephemeral-key-line.js';
import { systemKeyLine } from './system-key-line.js';

const SYSTEM_PUBLIC = createEphemeralKey().publicLine;
const FUTURE = new Date('2040-01-01T00:00:00Z');

/** Reads the command="…" option the way sshd does: only \" is an escape. */
function forcedCommandOf(line: string): string {
  expect(line.startsWith('command="')).toBe(true);
  let out = '';
  for (let i = 'command="'.length; i < line.length; i += 1) {
    if (line[i] === '\\' && line[i + 1] === '"') {
      out += '"';
      i += 1;
    } else if (line[i] === '"') {
      return out;
    } else {
      out += line[i];
    }
  }
  throw new Error('the command option has no closing quote');
}

describe('systemKeyLine', () => {
  it('is one restricted line: forced command, key, comment naming the controller', () => {
    const line = systemKeyLine(`${SYSTEM_PUBLIC} someone@somewhere`, { controllerId: 'ctl-1' });
    expect(line).not.toMatch(/\n/);
    expect(line).toMatch(/^command="exec \/bin\/sh -c '[^']*'",restrict ssh-ed25519 /);
    expect(line.endsWith(`${SYSTEM_PUBLIC} juju-ssh-system:ctl-1`)).toBe(true);
    expect(forcedCommandOf(line)).toContain('f=.ssh/authorized_keys;');
  });

  it('refuses a controller id or a path that could escape the script', () => {
    expect(() => systemKeyLine(SYSTEM_PUBLIC, { controllerId: 'a;b' })).toThrow(/controller id/);
    expect(() =>
      systemKeyLine(SYSTEM_PUBLIC, { controllerId: 'c', authorizedKeysFile: "x'y" }),
    ).toThrow(/authorized_keys path/);
    expect(() =>
      systemKeyLine(SYSTEM_PUBLIC, { controllerId: 'c', authorizedKeysFile: '%h/keys' }),
    ).toThrow(/authorized_keys path/);
  });
});

describe('the forced command', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let file: string;
  let script: string;

  beforeEach(async () => {
    dir = await makeTempDir('forced-command');
    file = join(dir.path, 'keys', 'authorized_keys');
    script = forcedCommandOf(
      systemKeyLine(SYSTEM_PUBLIC, {
        controllerId: 'ctl',
        authorizedKeysFile: 'keys/authorized_keys',
      }),
    );
  });

  afterEach(() => dir.cleanup());

  // Runs it as sshd would: through the login shell, with HOME and SSH_ORIGINAL_COMMAND set.
  function run(original: string | undefined, input?: string): Promise<CommandResult> {
    const env: NodeJS.ProcessEnv = { HOME: dir.path, PATH: process.env.PATH };
    if (original !== undefined) env.SSH_ORIGINAL_COMMAND = original;
    return runCommand('/bin/bash', ['-c', script], { env, input: input ?? '', timeoutMs: 10_000 });
  }

  const line = (session: string, controller = 'ctl') =>
    ephemeralKeyLine(createEphemeralKey().publicLine, controller, session, FUTURE);

  it('adds a valid line, creating the directory and a file of mode 0600', async () => {
    const added = line('s-1');
    const result = await run('add', `${added}\n`);
    expect(result.stderr.toString()).toBe('');
    expect(result.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(`${added}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps every other line byte for byte across add, remove and sweep', async () => {
    const others = [
      '# a comment with "quotes" and $dollars',
      '',
      `${createEphemeralKey().publicLine} alice@laptop`,
      line('s-1', 'other'),
      `no-pty ${createEphemeralKey().publicLine} juju-ssh-ephemeral:ctl:s-1`,
      '   indented line\twith tab\r',
      `${createEphemeralKey().publicLine} juju-ssh-ephemeral:ctl:s-1 trailing`,
    ].join('\n');
    await run('sweep');
    await writeFile(file, `${others}\n`);

    expect((await run('add', `${line('s-1')}\n`)).code).toBe(0);
    expect((await run('add', `${line('s-2')}\n`)).code).toBe(0);
    expect((await run('remove s-1')).code).toBe(0);
    const swept = await run('sweep');
    expect(swept.stdout.toString()).toBe('1\n');
    expect(await readFile(file, 'utf8')).toBe(`${others}\n`);
  });

  it('ends a last line that had no newline with one, and changes nothing else', async () => {
    await run('sweep');
    await writeFile(file, 'first\nlast without newline');
    await run('add', `${line('s')}\n`);
    await run('remove s');
    expect(await readFile(file, 'utf8')).toBe('first\nlast without newline\n');
  });

  it('removes several sessions in one run and leaves the rest', async () => {
    await run('sweep');
    const kept = [line('s-10'), line('s-1', 'ctl-2'), line('t')];
    await writeFile(file, `${kept[1]}\n`);
    for (const session of ['s-1', 's-2', 's-10', 't', 's-3']) {
      const added = session === 's-10' ? kept[0] : session === 't' ? kept[2] : line(session);
      expect((await run('add', `${added}\n`)).code).toBe(0);
    }
    const removed = await run('remove s-1 s-3 s-2');
    expect(removed.stderr.toString()).toBe('');
    expect(removed.stdout.toString()).toBe('3\n');
    expect(await readFile(file, 'utf8')).toBe(`${kept[1]}\n${kept[0]}\n${kept[2]}\n`);
  });

  it('replaces the line of a session that is added again', async () => {
    await run('add', `${line('s-1')}\n`);
    const second = line('s-1');
    await run('add', `${second}\n`);
    expect(await readFile(file, 'utf8')).toBe(`${second}\n`);
  });

  it('sweeps only lines of its own controller and prints how many it removed', async () => {
    const foreign = line('s-1', 'ctl-2');
    await run('sweep');
    await writeFile(file, `${foreign}\n`);
    await run('add', `${line('a')}\n`);
    await run('add', `${line('b')}\n`);
    const result = await run('sweep');
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('2\n');
    expect(await readFile(file, 'utf8')).toBe(`${foreign}\n`);
  });

  it.each([
    ['a line of another controller', () => `${line('s', 'ctl-2')}\n`],
    ['a line without expiry-time', () => `${line('s').replace(/^expiry-time="\d+Z" /, '')}\n`],
    ['a line with a command option', () => `command="id",${line('s')}\n`],
    ['a line with another option first', () => `no-pty,${line('s')}\n`],
    ['a line with an option after expiry-time', () => `${line('s').replace('" ', '",no-pty ')}\n`],
    ['a non-numeric expiry', () => `${line('s').replace(/"\d+Z"/, '"tomorrow"')}\n`],
    ['two lines', () => `${line('s')}\n${line('t')}\n`],
    ['a line with text after the comment', () => `${line('s')} extra\n`],
    ['a line with a carriage return', () => `${line('s')}\r\n`],
    ['a session id with a dot', () => `${line('s')}.x\n`],
    ['an empty input', () => ''],
    [
      'a key that is not ed25519',
      () =>
        `${line('s').replace('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5', 'ssh-rsa AAAAB3NzaC1yc2EA')}\n`,
    ],
  ])('refuses to add %s with status 2 and leaves the file alone', async (_, input) => {
    await run('sweep');
    const result = await run('add', input());
    expect(result.code).toBe(2);
    expect(result.stderr.toString()).toMatch(/^juju-ssh: refused: the input is not one ephemeral/);
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it.each([
    ['no command (a shell)', undefined],
    ['an arbitrary command', 'id'],
    ['add with arguments', 'add x'],
    ['sweep with arguments', 'sweep now'],
    ['a remove with a path in it', 'remove ../../etc/passwd'],
    ['a remove with a shell metacharacter', 'remove a;id'],
    ['a remove with a newline', 'remove a\nb'],
    ['a remove without a session', 'remove '],
    ['a remove with two spaces between sessions', 'remove a  b'],
    ['a remove with a trailing space', 'remove a b '],
    ['a remove with a pattern for a session', 'remove a|.*'],
  ])('refuses %s with status 2 and a message', async (_, original) => {
    const result = await run(original);
    expect(result.code).toBe(2);
    expect(result.stdout.toString()).toBe('');
    expect(result.stderr.toString()).toMatch(/^juju-ssh: refused: /);
  });
});
