import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTROLLER_MAIN, interpreterFlags } from './controller-process.js';

describe('interpreterFlags', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const script = (firstLine: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'interpreter-flags-'));
    dirs.push(dir);
    const path = join(dir, 'main.js');
    writeFileSync(path, `${firstLine}\nconsole.log(1);\n`);
    return path;
  };

  it('reads the node options the built controller is installed with', () => {
    expect(interpreterFlags(CONTROLLER_MAIN)).toContain('--max-semi-space-size=2');
  });

  it('reads several options and none from a plain node line', () => {
    expect(interpreterFlags(script('#!/usr/bin/env -S node --a=1 --b'))).toEqual(['--a=1', '--b']);
    expect(interpreterFlags(script('#!/usr/bin/env node'))).toEqual([]);
    expect(interpreterFlags(script('// no interpreter line'))).toEqual([]);
  });
});
