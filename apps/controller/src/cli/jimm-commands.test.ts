import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, parseJwks, publicJwks } from '@juju-ssh/relay-token';
import { makeTempDir } from '@juju-ssh/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapTemp, controllerCli, type TempDir } from '../testing/controller-cli.js';

const temps: TempDir[] = [];
afterEach(async () => {
  for (const temp of temps.splice(0)) await temp.cleanup();
});

/** A JIMM key set file, and a file holding JIMM's private key by mistake. */
async function jwksFiles(dir: string) {
  const { key, jwkText } = await generateSigningKey();
  const good = join(dir, 'jimm.jwks');
  writeFileSync(good, JSON.stringify(publicJwks([key])));
  const leaked = join(dir, 'leaked.jwks');
  writeFileSync(leaked, `{"keys":[${jwkText}]}`);
  return { good, leaked, kid: key.kid };
}

describe('trusting a JIMM', () => {
  it('installs the key set with trust-jimm, and refuses one holding a private key', async () => {
    const dir = await bootstrapTemp();
    temps.push(dir);
    const files = await jwksFiles(dir.path);

    const refused = await dir.cli('trust-jimm', files.leaked);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('holds a private key; give controllers the public JWKS only');
    expect(existsSync(join(dir.dataDir, 'jimm-jwks.json'))).toBe(false);

    const out = await dir.ok('trust-jimm', files.good);
    expect(out).toContain(`now trusts JIMM keys ${files.kid}`);
    const installed = readFileSync(join(dir.dataDir, 'jimm-jwks.json'), 'utf8');
    expect(parseJwks(installed, 'installed').keys[0]?.kid).toBe(files.kid);
  });

  it('trusts a JIMM from bootstrap, and makes nothing when its key set is bad', async () => {
    const temp = await makeTempDir('trust-jimm');
    temps.push(temp);
    const files = await jwksFiles(temp.path);

    const bad = await controllerCli([
      'bootstrap',
      '--data-dir',
      join(temp.path, 'a'),
      '--jimm-jwks',
      files.leaked,
    ]);
    expect(bad.code).toBe(1);
    expect(existsSync(join(temp.path, 'a'))).toBe(false);

    const dataDir = join(temp.path, 'b');
    const ok = await controllerCli(['bootstrap', '--data-dir', dataDir, '--jimm-jwks', files.good]);
    expect(ok.stdout).toContain(`trusts JIMM:  ${files.kid}`);
    expect(existsSync(join(dataDir, 'jimm-jwks.json'))).toBe(true);
  });
});
