import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the package sources and tests', () => {
  it('type-check, tests included', () => {
    const config = join(import.meta.dirname, '..', 'tsconfig.test.json');

    const tsc = spawnSync('pnpm', ['exec', 'tsc', '-p', config], { encoding: 'utf8' });

    expect({ status: tsc.status, output: tsc.stdout + tsc.stderr }).toEqual({
      status: 0,
      output: '',
    });
  });
});
