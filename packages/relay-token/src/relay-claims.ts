/**
 * What a relay token says: the claims JIMM signs when it relays a user to a controller, and
 * what a controller knows about the user once it has verified one. Plain data.
 */

/** The access claim's key for a model: `model-<uuid>`. */
export function modelAccessKey(modelUuid: string): string {
  return `model-${modelUuid}`;
}

/** The claim carrying the OpenSSH public key line the user logged in to JIMM with. */
export const SSH_PUBLIC_KEY_CLAIM = 'ssh_public_key';

/** The JWS algorithms a controller accepts from JIMM. */
export const RELAY_TOKEN_ALGORITHMS = ['EdDSA', 'RS256'] as const;

/** What JIMM asks to be put in a token. */
export interface RelayTokenRequest {
  /** The controller's id; becomes the audience. */
  readonly controllerId: string;
  /** The JIMM user; becomes the subject. */
  readonly user: string;
  /** The model the user may reach; the token grants admin on it and nothing else. */
  readonly modelUuid: string;
  /** The user's SSH public key (wire blob), the only key the inner hop will accept. */
  readonly publicKey: Buffer;
}

/** A verified token: who JIMM vouches for, where they may go, with which key, until when. */
export interface VerifiedRelayToken {
  /** The subject: the user as JIMM knows them. */
  readonly user: string;
  /** Models the token grants admin on. */
  readonly modelUuids: readonly string[];
  /** Wire blob of the one key the user may present on the inner hop. */
  readonly publicKey: Buffer;
  /** The token's unique id (jti). */
  readonly tokenId: string;
  /** The token's issuer, when it names one. */
  readonly issuer?: string;
  readonly expiresAt: Date;
}
