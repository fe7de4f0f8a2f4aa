import { randomUUID } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateUserKey, makeTempDir } from '@juju-ssh/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteControllerRegistry } from './sqlite-controller-registry.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function fresh() {
  const temp = await makeTempDir('registry');
  cleanups.push(temp.cleanup);
  const key = await generateUserKey(temp.path, 'ctl-key');
  const path = join(temp.path, 'registry.db');
  return { path, key, registry: SqliteControllerRegistry.open(path), dir: temp.path };
}

describe('SqliteControllerRegistry', () => {
  it('keeps controllers and model placements across reopening, in a 0600 file', async () => {
    const { path, key, registry } = await fresh();
    const added = registry.addController({
      id: 'ctl-a',
      host: '127.0.0.1',
      port: 17022,
      jumpHostKey: key.publicLine,
    });
    expect(added.jumpHostKey).toBe(key.publicLine.split(' ').slice(0, 2).join(' '));
    const model = randomUUID();
    registry.placeModel(model, 'ctl-a');
    registry.close();

    const reopened = SqliteControllerRegistry.open(path);
    expect(reopened.controllerForModel(model)).toEqual(added);
    expect(reopened.controllerForModel(randomUUID())).toBeUndefined();
    expect(reopened.listPlacements()).toEqual([{ modelUuid: model, controllerId: 'ctl-a' }]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    reopened.close();
  });

  it('refuses a model on an unknown controller, a second placement, and a bad key', async () => {
    const { key, registry } = await fresh();
    const model = randomUUID();
    expect(() => registry.placeModel(model, 'ctl-x')).toThrow(
      'no controller "ctl-x" is registered; see list-controllers',
    );
    registry.addController({ id: 'ctl-a', host: 'h', port: 1, jumpHostKey: key.publicLine });
    registry.placeModel(model, 'ctl-a');
    expect(() => registry.placeModel(model, 'ctl-a')).toThrow(/already placed on controller ctl-a/);
    expect(() =>
      registry.addController({ id: 'ctl-b', host: 'h', port: 1, jumpHostKey: 'ssh-ed25519 x' }),
    ).toThrow(/invalid SSH public key/);
    expect(() =>
      registry.addController({ id: 'ctl-a', host: 'h', port: 1, jumpHostKey: key.publicLine }),
    ).toThrow('controller ctl-a is already registered');
    registry.close();
  });

  it("refuses another program's SQLite file", async () => {
    const { dir } = await fresh();
    const other = join(dir, 'other.db');
    writeFileSync(other, '');
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => SqliteControllerRegistry.open(other)).toThrow(/is not a JIMM controller registry/);
  });
});
