import { describe, expect, it } from 'vitest';
import {
  jumpHopOptions,
  optionWords,
  readOpenSshArguments,
  SCP_GRAMMAR,
  SSH_GRAMMAR,
} from './openssh-arguments.js';
import { readRemotePath } from './scp-paths.js';

describe('reading ssh arguments', () => {
  it('keeps option values, clusters and the command after the target', () => {
    const parsed = readOpenSshArguments(
      ['-vv', '-ikey', '-L', '8080:localhost:80', '-m', 'prod', 'postgresql/0', 'ls', '-la'],
      SSH_GRAMMAR,
    );
    expect(parsed.model).toBe('prod');
    expect(optionWords(parsed.options)).toEqual([
      '-v',
      '-v',
      '-i',
      'key',
      '-L',
      '8080:localhost:80',
    ]);
    expect(parsed.operands).toEqual(['postgresql/0', 'ls', '-la']);
  });

  it('takes --model and --controller anywhere before the target, and stops at --', () => {
    const parsed = readOpenSshArguments(
      ['--controller=ctl-b', '-4', '--model', 'prod', '--', '-odd-target'],
      SSH_GRAMMAR,
    );
    expect(parsed).toEqual({
      model: 'prod',
      controller: 'ctl-b',
      options: [{ flag: '-4' }],
      operands: ['-odd-target'],
    });
  });

  it('refuses -F and -J, unknown options and a missing value, saying why', () => {
    expect(() => readOpenSshArguments(['-F', 'x', 't'], SSH_GRAMMAR)).toThrow(
      /^-F is not passed to ssh: juju-ssh passes its own ssh_config/,
    );
    expect(() => readOpenSshArguments(['-J', 'x', 't'], SSH_GRAMMAR)).toThrow(/sets the jump host/);
    expect(() => readOpenSshArguments(['-r', 't'], SSH_GRAMMAR)).toThrow('ssh has no option -r');
    expect(() => readOpenSshArguments(['-i'], SSH_GRAMMAR)).toThrow('option -i needs a value');
    expect(readOpenSshArguments(['-r', 'a', 'b'], SCP_GRAMMAR).operands).toEqual(['a', 'b']);
  });

  it('passes keys, verbosity and key-related -o settings to the jump hop, nothing else', () => {
    const { options } = readOpenSshArguments(
      ['-v', '-i', 'k', '-o', 'IdentitiesOnly=yes', '-o', 'User=root', '-L', '1:h:2', '-t', 'x'],
      SSH_GRAMMAR,
    );
    expect(optionWords(jumpHopOptions(options))).toEqual([
      '-v',
      '-i',
      'k',
      '-o',
      'IdentitiesOnly=yes',
    ]);
  });
});

describe('reading scp paths', () => {
  it.each([
    ['postgresql/0:/tmp/x', { target: 'postgresql/0', path: '/tmp/x' }],
    ['ubuntu@0/lxd/1:file', { login: 'ubuntu', target: '0/lxd/1', path: 'file' }],
    ['3:', { target: '3', path: '' }],
    [
      '0.pg.8f0c6a4e-2b1d-4c3a-9e5f-7d8c9b0ae21a.juju.local:a',
      { target: '0.pg.8f0c6a4e-2b1d-4c3a-9e5f-7d8c9b0ae21a.juju.local', path: 'a' },
    ],
  ])('reads %s as remote', (operand, expected) => {
    expect(readRemotePath(operand)).toEqual(expected);
  });

  it.each(['/tmp/a:b', './x:y', 'file.txt', 'Postgres/0:x', 'host:path'])(
    'reads %s as local',
    (operand) => {
      expect(readRemotePath(operand)).toBeUndefined();
    },
  );
});
