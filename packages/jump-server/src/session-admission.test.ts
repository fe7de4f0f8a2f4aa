import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LimitReporter } from './limit-reporter.js';
import { SessionAdmission } from './session-admission.js';

function admission(maxChannelsPerConnection: number, maxSessionsPerUser: number) {
  const reporter = new LimitReporter(pino({ level: 'silent' }));
  return new SessionAdmission({ maxChannelsPerConnection, maxSessionsPerUser }, reporter);
}

function fakeOpen() {
  const channel = new EventEmitter();
  const calls = { accepted: 0, rejected: 0 };
  return {
    channel,
    calls,
    open: {
      accept: () => {
        calls.accepted += 1;
        return channel;
      },
      reject: () => {
        calls.rejected += 1;
      },
    },
  };
}

describe('SessionAdmission', () => {
  it('refuses a channel past the per-connection limit until one closes', () => {
    const limits = admission(2, 10);
    const first = fakeOpen();
    const second = fakeOpen();
    for (const { open } of [first, second]) {
      const result = limits.admitOpen('c1', undefined, open);
      if (!result.admitted) throw new Error('expected admission');
      result.open.accept();
    }
    const third = limits.admitOpen('c1', undefined, fakeOpen().open);
    expect(third.admitted).toBe(false);
    expect(third.admitted ? '' : third.error.message).toMatch(/already has 2 channels open/);
    expect(limits.admitOpen('c2', undefined, fakeOpen().open).admitted).toBe(true);

    first.channel.emit('close');
    first.channel.emit('close');
    expect(limits.channelsOf('c1')).toBe(1);
    expect(limits.admitOpen('c1', undefined, fakeOpen().open).admitted).toBe(true);
  });

  it('releases a channel that is rejected instead of accepted', () => {
    const limits = admission(1, 10);
    const result = limits.admitOpen('c1', undefined, fakeOpen().open);
    if (!result.admitted) throw new Error('expected admission');
    result.open.reject();
    expect(limits.channelsOf('c1')).toBe(0);
  });

  it("counts a user's sessions over all connections and hands back the over-limit channel", () => {
    const limits = admission(10, 2);
    const sessions = [fakeOpen(), fakeOpen()];
    sessions.forEach(({ open }, i) => {
      const result = limits.admitOpen(`c${i}`, 'alice', open);
      if (!result.admitted) throw new Error('expected admission');
      result.open.accept();
    });
    const over = fakeOpen();
    const refused = limits.admitOpen('c9', 'alice', over.open);
    if (refused.admitted) throw new Error('expected a refusal');
    expect(refused.error.message).toMatch(/already have 2 sessions open/);
    refused.open?.accept();
    expect(over.calls.accepted).toBe(1);
    expect(limits.channelsOf('c9')).toBe(1);
    over.channel.emit('close');
    expect(limits.channelsOf('c9')).toBe(0);
    expect(limits.admitOpen('c9', 'bob', fakeOpen().open).admitted).toBe(true);

    sessions[0]?.channel.emit('close');
    expect(limits.sessionsOf('alice')).toBe(1);
    expect(limits.admitOpen('c9', 'alice', fakeOpen().open).admitted).toBe(true);
  });

  it('forgets the channels of a closed connection', () => {
    const limits = admission(1, 10);
    expect(limits.admitOpen('c1', undefined, fakeOpen().open).admitted).toBe(true);
    limits.forgetConnection('c1');
    expect(limits.channelsOf('c1')).toBe(0);
  });
});
