/**
 * Which kinds of forwarding a controller carries to machines, and the refusal a user sees when
 * the operator has switched one off. Every kind is allowed unless the configuration says not.
 */

/** One switch per kind of forwarding; `true` means the controller carries it. */
export interface ForwardingPolicy {
  /** `ssh -L` and `ssh -D`: direct-tcpip channels dialled from the machine. */
  readonly local: boolean;
  /** `ssh -R`: ports the machine listens on, carried back to the user. */
  readonly remote: boolean;
  /** `ssh -A`: the user's agent, offered to programs on the machine. */
  readonly agent: boolean;
  /** Unix-domain socket forwarding both ways (`ssh -L`/`-R` with socket paths). */
  readonly streamlocal: boolean;
}

/** A kind of forwarding the policy governs. */
export type ForwardingKind = keyof ForwardingPolicy;

/** Every kind allowed: the default. */
export const ALLOW_ALL_FORWARDING: ForwardingPolicy = {
  local: true,
  remote: true,
  agent: true,
  streamlocal: true,
};

const NAMES: Record<ForwardingKind, string> = {
  local: 'local port forwarding (-L, -D)',
  remote: 'remote port forwarding (-R)',
  agent: 'agent forwarding (-A)',
  streamlocal: 'Unix socket forwarding',
};

/** The default policy with `overrides` applied; undefined entries keep the default. */
export function resolveForwarding(overrides: Partial<ForwardingPolicy> = {}): ForwardingPolicy {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...ALLOW_ALL_FORWARDING, ...Object.fromEntries(defined) };
}

/** The text a user sees when `kind` is switched off. */
export function policyRefusal(kind: ForwardingKind): string {
  return `${NAMES[kind]} is disabled by this controller's policy`;
}
