import { describe, expect, it } from 'vitest';
import { ALLOW_ALL_FORWARDING, policyRefusal, resolveForwarding } from './forwarding-policy.js';

describe('the forwarding policy', () => {
  it('allows every kind unless the configuration switches it off', () => {
    expect(resolveForwarding()).toEqual(ALLOW_ALL_FORWARDING);
    expect(resolveForwarding({ remote: false, agent: undefined })).toEqual({
      local: true,
      remote: false,
      agent: true,
      streamlocal: true,
    });
  });

  it("names the kind and says the refusal is the controller's policy", () => {
    expect(policyRefusal('local')).toBe(
      "local port forwarding (-L, -D) is disabled by this controller's policy",
    );
    expect(policyRefusal('agent')).toMatch(/^agent forwarding .* controller's policy$/);
  });
});
