/**
 * A user JIMM vouches for: who they are at JIMM, the models its token grants admin on, the one
 * key they may use on the inner hop, and when the token's word runs out. Plain data.
 */

/** What a verified relay token tells a controller about the user behind it. */
export interface RelayedPrincipal {
  /** The user as JIMM knows them. */
  readonly user: string;
  /** Models the token grants admin on. */
  readonly modelUuids: readonly string[];
  /** Wire blob of the only key accepted on the inner hop. */
  readonly publicKey: Buffer;
  /** The token's unique id, for logs and audit. */
  readonly tokenId: string;
  /** After this, the connection may open no new targets. */
  readonly expiresAt: Date;
}
