import { describe, expect, it } from 'vitest';
import type { RelayedPrincipal } from './relayed-principal.js';
import {
  failureOf,
  fleet,
  machineTarget,
  NOWHERE,
  PROD,
  STAGING,
  unitTarget,
} from './testing/memory-directory.js';

function principal(modelUuids: string[], expiresInMs = 60_000): RelayedPrincipal {
  return {
    user: 'dave',
    modelUuids,
    publicKey: Buffer.from('key'),
    tokenId: 't1',
    expiresAt: new Date(Date.now() + expiresInMs),
  };
}

describe('AccessPolicy.resolveRelayedTarget', () => {
  it('resolves a unit for a user the token grants admin on its model, with no local grant', async () => {
    const { policy, prod, machine, unit } = fleet();
    const target = unitTarget('postgresql', 1);

    const resolved = await policy.resolveRelayedTarget(principal([PROD]), target);

    expect(resolved).toEqual({ target, model: prod, machine, unit });
  });

  it('refuses a model the token does not name', async () => {
    const { policy } = fleet();

    const failure = await failureOf(
      policy.resolveRelayedTarget(principal([STAGING]), machineTarget('0/lxd/1')),
    );

    expect(failure).toEqual({
      code: 'access-denied',
      message: `JIMM did not grant "dave" admin access to model ${PROD}`,
    });
  });

  it('says when the token names a model this controller does not host', async () => {
    const { policy } = fleet();

    const failure = await failureOf(
      policy.resolveRelayedTarget(principal([NOWHERE]), machineTarget('0', NOWHERE)),
    );

    expect(failure.code).toBe('not-found');
    expect(failure.message).toMatch(`this controller has no model ${NOWHERE}`);
  });

  it('opens no new target once the token has expired', async () => {
    const { policy } = fleet();

    const failure = await failureOf(
      policy.resolveRelayedTarget(principal([PROD], -1), machineTarget('0/lxd/1')),
    );

    expect(failure.message).toMatch(/JIMM token of this connection has expired/);
  });
});

describe('AccessPolicy.authorizeModel', () => {
  it('gives the model to a user with admin on it and refuses one without', async () => {
    const { policy, prod } = fleet();

    expect(await policy.authorizeModel('alice', PROD)).toEqual(prod);
    expect((await failureOf(policy.authorizeModel('carol', PROD))).code).toBe('access-denied');
  });
});
