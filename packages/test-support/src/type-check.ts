/**
 * Type-checks a project's sources and tests together (the build leaves tests out), for a test
 * that fails on the first type error anywhere in them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** What `tsc -p` said: its exit status and everything it printed. */
export interface TypeCheckResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs `tsc -p` on the `tsconfig.test.json` in `projectDir` (a package or app directory).
 * A clean result is `{ status: 0, output: '' }`.
 */
export function typeCheck(projectDir: string): TypeCheckResult {
  const config = join(projectDir, 'tsconfig.test.json');
  const tsc = spawnSync('pnpm', ['exec', 'tsc', '-p', config], { encoding: 'utf8' });
  return { status: tsc.status, output: tsc.stdout + tsc.stderr };
}
