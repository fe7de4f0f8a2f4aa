/**
 * Remembers the ids (jti) of relay tokens already used, each until its token expires, so a
 * token seen once is refused ever after. Entries past their expiry are dropped as new ones come.
 */

/** Where used token ids are kept; the verifier asks it once per token. */
export interface ReplayCache {
  /**
   * Records `tokenId` as used until `expiresAt`. Returns false when it was already recorded
   * (a replay), true when this is its first use.
   */
  firstUse(tokenId: string, expiresAt: Date): boolean;
}

/**
 * A replay cache in this process's memory: right for a single controller.
 * TODO: an HA cluster needs the seen ids shared between its controllers (the store, or a
 * cache every controller reaches); until then a token may be replayed once against each other
 * controller of the cluster within its short lifetime.
 */
export class MemoryReplayCache implements ReplayCache {
  private readonly seen = new Map<string, number>();

  /** `now` is the clock, for tests. */
  constructor(private readonly now: () => number = Date.now) {}

  firstUse(tokenId: string, expiresAt: Date): boolean {
    const now = this.now();
    for (const [id, expiry] of this.seen) {
      if (expiry <= now) this.seen.delete(id);
    }
    if (this.seen.has(tokenId)) return false;
    this.seen.set(tokenId, expiresAt.getTime());
    return true;
  }

  /** How many ids are held, for tests and metrics. */
  get size(): number {
    return this.seen.size;
  }
}
