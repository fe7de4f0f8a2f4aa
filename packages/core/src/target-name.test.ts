import { describe, expect, it } from 'vitest';
import { JujuSshError } from './errors.js';
import {
  describeTarget,
  formatTargetName,
  isApplicationName,
  isMachineId,
  isModelUuid,
  parseTargetName,
  type Target,
} from './target-name.js';

const UUID = '8f0c4d2e-1b3a-4c5d-9e6f-7a8b9c0de21a';

function refusal(name: string): JujuSshError {
  try {
    parseTargetName(name);
  } catch (err) {
    if (err instanceof JujuSshError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(name)} to be refused`);
}

describe('parseTargetName', () => {
  it.each<[string, Target]>([
    [`0.${UUID}`, { kind: 'machine', modelUuid: UUID, machineId: '0' }],
    [`42.${UUID}`, { kind: 'machine', modelUuid: UUID, machineId: '42' }],
    [`0-lxd-1.${UUID}`, { kind: 'machine', modelUuid: UUID, machineId: '0/lxd/1' }],
    [`3-kvm-0-lxd-12.${UUID}`, { kind: 'machine', modelUuid: UUID, machineId: '3/kvm/0/lxd/12' }],
    [`0.${UUID}.juju.local`, { kind: 'machine', modelUuid: UUID, machineId: '0' }],
    [
      `1.postgresql.${UUID}`,
      { kind: 'unit', modelUuid: UUID, application: 'postgresql', unitNumber: 1 },
    ],
    [
      `1.postgresql.${UUID}.juju.local`,
      { kind: 'unit', modelUuid: UUID, application: 'postgresql', unitNumber: 1 },
    ],
    [`0.a.${UUID}`, { kind: 'unit', modelUuid: UUID, application: 'a', unitNumber: 0 }],
    [
      `7.mysql-k8s.${UUID}`,
      { kind: 'unit', modelUuid: UUID, application: 'mysql-k8s', unitNumber: 7 },
    ],
    [
      `0.a1-b2c-d3.${UUID}`,
      { kind: 'unit', modelUuid: UUID, application: 'a1-b2c-d3', unitNumber: 0 },
    ],
    [
      `999999999.pg.${UUID}`,
      { kind: 'unit', modelUuid: UUID, application: 'pg', unitNumber: 999_999_999 },
    ],
    [
      `charm.1.postgresql.${UUID}`,
      {
        kind: 'unit',
        modelUuid: UUID,
        application: 'postgresql',
        unitNumber: 1,
        container: 'charm',
      },
    ],
    [
      `postgresql-0.1.postgresql.${UUID}.juju.local`,
      {
        kind: 'unit',
        modelUuid: UUID,
        application: 'postgresql',
        unitNumber: 1,
        container: 'postgresql-0',
      },
    ],
  ])('reads %s', (name, target) => {
    expect(parseTargetName(name)).toEqual(target);
  });

  it.each([
    ['an empty name', '', 'target name is empty'],
    ['an uppercase model UUID', `0.${UUID.toUpperCase()}`, 'bad model UUID'],
    ['a UUID with the wrong variant', `0.${UUID.replace('9e6f', '7e6f')}`, 'bad model UUID'],
    ['a UUID without hyphens', `0.${UUID.replaceAll('-', '')}`, 'bad model UUID'],
    ['a UUID one digit short', `0.${UUID.slice(1)}`, 'bad model UUID'],
    ['a model UUID alone', UUID, 'names a model but no machine or unit'],
    ['a model UUID with only the suffix', `${UUID}.juju.local`, 'names a model but no machine'],
    ['another domain suffix', `0.${UUID}.example.com`, 'bad model UUID "com"'],
    ['an application starting with a digit', `0.9lives.${UUID}`, 'bad application name "9lives"'],
    ['an application with a double hyphen', `0.pg--x.${UUID}`, 'bad application name "pg--x"'],
    ['an application segment of digits only', `0.pg-9.${UUID}`, 'bad application name "pg-9"'],
    ['an application ending in a hyphen', `0.pg-.${UUID}`, 'bad application name "pg-"'],
    ['an application in capitals', `0.Postgres.${UUID}`, 'bad application name "Postgres"'],
    ['a unit number with a leading zero', `01.pg.${UUID}`, 'bad unit number "01"'],
    ['a negative unit number', `-1.pg.${UUID}`, 'bad unit number "-1"'],
    ['a unit number past nine digits', `1234567890.pg.${UUID}`, 'bad unit number'],
    ['a unit written with a slash', `pg/1.${UUID}`, 'may hold only ASCII letters'],
    ['a machine id with a leading zero', `00.${UUID}`, 'bad machine id "00"'],
    ['a nested machine of an unknown kind', `0-docker-1.${UUID}`, 'bad machine id "0-docker-1"'],
    ['a nested machine without a number', `0-lxd.${UUID}`, 'bad machine id "0-lxd"'],
    ['a container name with an underscore', `my_c.1.pg.${UUID}`, 'may hold only ASCII'],
    ['a container name ending in a hyphen', `c-.1.pg.${UUID}`, 'bad container name "c-"'],
    ['too many labels', `a.b.1.pg.${UUID}`, 'has too many labels'],
    ['an empty label', `1..pg.${UUID}`, 'has an empty label'],
    ['a leading dot', `.0.${UUID}`, 'has an empty label'],
    ['a trailing dot', `0.${UUID}.`, 'has an empty label'],
    ['a name of 300 characters', `${'a'.repeat(263)}.${UUID}`, '300 characters long'],
    ['non-ASCII letters', `0.pöstgres.${UUID}`, 'may hold only ASCII letters'],
    ['an IPv6 address and port', '[::1]:22', 'may hold only ASCII letters'],
    ['a host and port', `0.${UUID}:22`, 'may hold only ASCII letters'],
    ['a login user', `ubuntu@0.${UUID}`, 'may hold only ASCII letters'],
    ['whitespace', ` 0.${UUID}`, 'may hold only ASCII letters'],
    ['a NUL byte', `0.${UUID}\0`, 'may hold only ASCII letters'],
  ])('refuses %s, saying what was wrong', (_, name, reason) => {
    const err = refusal(name);
    expect(err.code).toBe('bad-target');
    expect(err.message).toContain(reason);
  });

  it('renders hostile characters harmlessly in its refusals', () => {
    const err = refusal(`0.${UUID}\u001b[2J\n`);
    expect(err.message).not.toMatch(/[^\x20-\x7e]/);
  });

  it('cuts a long bad label short in its refusal', () => {
    const err = refusal(`0.${'x'.repeat(200)}`);
    expect(err.message.length).toBeLessThan(160);
  });
});

describe('formatTargetName and describeTarget', () => {
  it.each<[Target, string, string]>([
    [{ kind: 'machine', modelUuid: UUID, machineId: '0' }, `0.${UUID}`, 'machine 0'],
    [
      { kind: 'machine', modelUuid: UUID, machineId: '0/lxd/1' },
      `0-lxd-1.${UUID}`,
      'machine 0/lxd/1',
    ],
    [
      { kind: 'unit', modelUuid: UUID, application: 'pg', unitNumber: 3 },
      `3.pg.${UUID}`,
      'unit pg/3',
    ],
    [
      { kind: 'unit', modelUuid: UUID, application: 'pg', unitNumber: 3, container: 'charm' },
      `charm.3.pg.${UUID}`,
      'container charm of unit pg/3',
    ],
  ])('writes %o as %s, described as %s', (target, name, description) => {
    expect(formatTargetName(target)).toBe(name);
    expect(describeTarget(target)).toBe(description);
    expect(parseTargetName(name)).toEqual(target);
  });
});

describe('name checks', () => {
  it('knows model UUIDs', () => {
    expect(isModelUuid(UUID)).toBe(true);
    expect(isModelUuid(UUID.toUpperCase())).toBe(false);
    expect(isModelUuid(`${UUID}0`)).toBe(false);
  });

  it('knows application names by Juju rules', () => {
    for (const good of ['a', 'pg', 'mysql-k8s', 'a1-b2', 'x-1a']) {
      expect(isApplicationName(good)).toBe(true);
    }
    for (const bad of ['', '9lives', 'pg--x', 'pg-9', '-pg', 'pg-', 'PG', 'p_g']) {
      expect(isApplicationName(bad)).toBe(false);
    }
  });

  it('knows machine ids in both their forms', () => {
    expect(isMachineId('0/lxd/1')).toBe(true);
    expect(isMachineId('0-lxd-1')).toBe(true);
    expect(isMachineId('0/lxd')).toBe(false);
    expect(isMachineId('')).toBe(false);
  });
});
