import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type BootstrappedDir, bootstrapTemp } from '../testing/controller-cli.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const GIVEN = '8f0c6a4e-2b1d-4c3a-9e5f-7d8c9b0ae21a';

let dir: BootstrappedDir;

beforeAll(async () => {
  dir = await bootstrapTemp();
  await dir.ok('add-user', 'alice');
});
afterAll(() => dir.cleanup());

describe('models', () => {
  it('adds a model and prints only its new UUID', async () => {
    const out = await dir.ok('add-model', 'prod');
    expect(out.trim()).toMatch(UUID);
    const models = JSON.parse(await dir.ok('list-models', '--format', 'json'));
    expect(models).toContainEqual({ name: 'prod', uuid: out.trim() });
  });

  it('lists the same models as JSON and as YAML', async () => {
    await dir.ok('add-model', 'listed');
    const json = JSON.parse(await dir.ok('list-models', '--format', 'json'));
    expect(json).toContainEqual(expect.objectContaining({ name: 'listed' }));
    expect(parse(await dir.ok('list-models', '--format', 'yaml'))).toEqual(json);
  });

  it('adds a model with the UUID it is given', async () => {
    expect(await dir.ok('add-model', 'given', '--uuid', GIVEN)).toBe(`${GIVEN}\n`);
    expect(await dir.ok('list-models')).toMatch(new RegExp(`\\ngiven\\s+${GIVEN}\\n`));
  });

  it('refuses a bad model UUID and a duplicate name', async () => {
    const bad = await dir.cli('add-model', 'upper', '--uuid', GIVEN.toUpperCase());
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: .*UUID/);

    await dir.ok('add-model', 'twice');
    const again = await dir.cli('add-model', 'twice');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: .*twice/);
  });
});

describe('grants', () => {
  it('grants and revokes admin on a model named by name or UUID', async () => {
    const uuid = (await dir.ok('add-model', 'staging')).trim();
    expect(await dir.ok('grant', 'alice', 'admin', 'staging')).toBe(
      `granted admin to alice on model staging (${uuid})\n`,
    );
    const revoked = JSON.parse(await dir.ok('revoke', 'alice', 'admin', uuid, '--format', 'json'));
    expect(revoked).toEqual({ user: 'alice', access: 'admin', model: 'staging', modelUuid: uuid });
  });

  it('refuses an unknown model, an unknown user and an unknown access level', async () => {
    await dir.ok('add-model', 'dev');

    const model = await dir.cli('grant', 'alice', 'admin', 'no-such-model');
    expect(model.code).toBe(1);
    expect(model.stderr).toBe(
      'error: no model named or with UUID "no-such-model"; see list-models\n',
    );

    const user = await dir.cli('grant', 'nobody', 'admin', 'dev');
    expect(user.code).toBe(1);
    expect(user.stderr).toMatch(/^error: .*nobody/);

    const level = await dir.cli('grant', 'alice', 'write', 'dev');
    expect(level.code).toBe(1);
    expect(level.stderr).toBe('error: unknown access level "write"; the only level is admin\n');
  });
});
