import { describe, expect, it } from 'vitest';
import { runCommand } from './run-command.js';

describe('runCommand', () => {
  it('captures exit status, stdout and stderr separately', async () => {
    const result = await runCommand('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result.code).toBe(3);
    expect(result.signal).toBeNull();
    expect(result.stdout.toString()).toBe('out\n');
    expect(result.stderr.toString()).toBe('err\n');
  });

  it('feeds the given input to stdin and closes it', async () => {
    const result = await runCommand('cat', [], { input: 'line one\nline two\n' });
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toBe('line one\nline two\n');
  });

  it('gives a program /dev/null as stdin when there is no input', async () => {
    const result = await runCommand('cat', [], { timeoutMs: 5000 });
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(0);
  });

  it('kills a program that outlives its timeout and rejects naming it', async () => {
    const started = Date.now();
    await expect(runCommand('sleep', ['30'], { timeoutMs: 200 })).rejects.toThrow(
      /sleep 30 did not finish within 200 ms and was killed/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports the signal that ended a program', async () => {
    const result = await runCommand('sh', ['-c', 'kill -TERM $$']);
    expect(result.code).toBeNull();
    expect(result.signal).toBe('SIGTERM');
  });

  it('rejects when the program does not exist', async () => {
    await expect(runCommand('/nonexistent/program', [])).rejects.toThrow(/could not run/);
  });
});
