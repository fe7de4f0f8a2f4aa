/**
 * Runs a snippet of JavaScript in a separate Node process against the built package, the way
 * an admin command would use the store while the controller has it open.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIST = new URL('../../dist/index.js', import.meta.url);

/** What the child printed and how it ended. */
export interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running child, with a promise of its result. */
export interface RunningChild {
  readonly done: Promise<ChildResult>;
  readonly exited: () => boolean;
}

/**
 * Starts `node` with `body` as an ES module in which `SqliteStore` is imported from the built
 * package and `path` is the store's path. A thrown error is printed as JSON on stderr.
 */
export function startStoreChild(
  path: string,
  body: string,
  options: { uid?: number; gid?: number } = {},
): RunningChild {
  if (!existsSync(DIST)) {
    throw new Error(
      `${fileURLToPath(DIST)} is missing; build with: pnpm exec tsc -b packages/state`,
    );
  }
  const script = `
    import { SqliteStore } from ${JSON.stringify(DIST.href)};
    const path = process.argv[1];
    try {
      ${body}
    } catch (err) {
      process.stderr.write(JSON.stringify({ code: err.code, message: err.message }));
      process.exit(3);
    }`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, path], {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      exited = true;
      resolve({ code, stdout, stderr });
    });
  });
  return { done, exited: () => exited };
}

/** Runs a store snippet in a child process and waits for it. */
export function runStoreChild(
  path: string,
  body: string,
  options: { uid?: number; gid?: number } = {},
): Promise<ChildResult> {
  return startStoreChild(path, body, options).done;
}
