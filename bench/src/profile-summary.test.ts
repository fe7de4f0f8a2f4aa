import { describe, expect, it } from 'vitest';
import { summariseProfile } from './profile-summary.js';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

describe('summariseProfile', () => {
  it('adds self time by function and by package, keeping idle time apart', () => {
    const summary = summariseProfile({
      nodes: [
        { id: 1, callFrame: frame('(idle)', '') },
        {
          id: 2,
          callFrame: frame('sign', 'file:///r/node_modules/.pnpm/x/node_modules/ssh2/lib/a.js'),
        },
        { id: 3, callFrame: frame('find', 'file:///work/main/packages/state/dist/users.js') },
      ],
      samples: [1, 2, 2, 3],
      timeDeltas: [5000, 1000, 2000, 500],
    });

    expect(summary.totalMs).toBe(8.5);
    expect(summary.idleMs).toBe(5);
    expect(summary.byFunction).toEqual([
      ['sign ssh2/lib/a.js:10', 3],
      ['find packages/state/dist/users.js:10', 0.5],
    ]);
    expect(summary.byPackage).toEqual([
      ['ssh2', 3],
      ['packages/state', 0.5],
    ]);
  });
});
