import { join } from 'node:path';
import { typeCheck } from '@juju-ssh/test-support';
import { describe, expect, it } from 'vitest';

describe('the app sources and tests', () => {
  it('type-check, tests included', () => {
    expect(typeCheck(join(import.meta.dirname, '..'))).toEqual({ status: 0, output: '' });
  });
});
