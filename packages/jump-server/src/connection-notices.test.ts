import { describe, expect, it } from 'vitest';
import { ConnectionNotices } from './connection-notices.js';

describe('notes for the user of an inner connection', () => {
  it('holds notes until a session starts, once each, then shows them there', () => {
    const notices = new ConnectionNotices();
    notices.add('first');
    notices.add('first');
    notices.add('second');
    const shown: string[] = [];
    notices.attach((text) => shown.push(text));
    expect(shown).toEqual(['first', 'second']);
  });

  it('shows later notes on the newest running session, and holds them once it ends', () => {
    const notices = new ConnectionNotices();
    const older: string[] = [];
    const newer: string[] = [];
    notices.attach((text) => older.push(text));
    const detach = notices.attach((text) => newer.push(text));
    notices.add('while both run');
    detach();
    notices.add('after the newer ended');
    expect(newer).toEqual(['while both run']);
    expect(older).toEqual(['after the newer ended']);
  });
});
