import { describe, expect, it } from 'vitest';
import type { EphemeralKeyEntry, EphemeralKeyLedger } from './ephemeral-key-ledger.js';
import { openTempStore, refusal } from './testing/fixtures.js';

const MODEL = '8f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0de21a';

function entry(sessionId: string, changes: Partial<EphemeralKeyEntry> = {}): EphemeralKeyEntry {
  return {
    controllerId: 'controller-0',
    sessionId,
    modelUuid: MODEL,
    machineId: '0/lxd/1',
    loginUser: 'ubuntu',
    expiresAt: new Date('2030-01-01T00:10:00.123Z'),
    ...changes,
  };
}

describe('ephemeral-key ledger', () => {
  it("records entries and lists one controller's, soonest to expire first", () => {
    const { store } = openTempStore();
    const ledger: EphemeralKeyLedger = store;
    const late = entry('s-late', { expiresAt: new Date('2030-01-01T01:00:00Z') });
    const early = entry('s-early', { expiresAt: new Date('2029-12-31T23:00:00Z') });
    const elsewhere = entry('s-other', { controllerId: 'controller-1' });

    ledger.recordEphemeralKey(late);
    ledger.recordEphemeralKey(early);
    ledger.recordEphemeralKey(elsewhere);

    expect(ledger.listEphemeralKeys('controller-0')).toEqual([early, late]);
    expect(ledger.listEphemeralKeys('controller-1')).toEqual([elsewhere]);
    expect(ledger.listEphemeralKeys('controller-2')).toEqual([]);
  });

  it('keeps the expiry time to the millisecond', () => {
    const { store } = openTempStore();
    store.recordEphemeralKey(entry('s1'));

    const [listed] = store.listEphemeralKeys('controller-0');

    expect(listed?.expiresAt).toBeInstanceOf(Date);
    expect(listed?.expiresAt.toISOString()).toBe('2030-01-01T00:10:00.123Z');
  });

  it('records a key for a machine it has no record of, so the key can still be swept', () => {
    const { store } = openTempStore();

    store.recordEphemeralKey(entry('s1', { machineId: '7' }));

    expect(store.listEphemeralKeys('controller-0').map((e) => e.machineId)).toEqual(['7']);
  });

  it('forgets an entry, and forgetting it again does nothing', () => {
    const { store } = openTempStore();
    store.recordEphemeralKey(entry('s1'));
    store.recordEphemeralKey(entry('s2'));

    store.forgetEphemeralKey('s1');
    store.forgetEphemeralKey('s1');
    store.forgetEphemeralKey('never-recorded');

    expect(store.listEphemeralKeys('controller-0').map((e) => e.sessionId)).toEqual(['s2']);
  });

  it('refuses a second entry for one session, keeping the first', () => {
    const { store } = openTempStore();
    store.recordEphemeralKey(entry('s1'));

    expect(() => store.recordEphemeralKey(entry('s1', { machineId: '2' }))).toThrowError(
      refusal('already-exists', 'an ephemeral key for session s1 is already recorded'),
    );
    expect(store.listEphemeralKeys('controller-0')).toEqual([entry('s1')]);
  });

  it.each<[Partial<EphemeralKeyEntry>, RegExp]>([
    [{ controllerId: '' }, /bad controller id ""/],
    [{ sessionId: 'has space' }, /bad session id "has space"/],
    [{ modelUuid: 'prod' }, /bad model UUID prod/],
    [{ machineId: '0-lxd-1' }, /bad machine id 0-lxd-1/],
    [{ loginUser: 'ubuntu; rm' }, /bad login user "ubuntu; rm"/],
    [{ expiresAt: new Date(Number.NaN) }, /expiry time is not a valid date/],
  ])('refuses the entry with %j', (change, message) => {
    const { store } = openTempStore();

    expect(() => store.recordEphemeralKey(entry('s1', change))).toThrowError(
      refusal('invalid-argument', message),
    );
    expect(store.listEphemeralKeys(change.controllerId ?? 'controller-0')).toEqual([]);
  });
});
