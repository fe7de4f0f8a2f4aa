/**
 * Minting relay tokens on JIMM: one short-lived JWT per relayed session, naming the
 * controller as audience, the user as subject, admin on one model, and the user's SSH key.
 */
import { randomBytes } from 'node:crypto';
import { formatPublicKeyLine, JujuSshError, keyTypeOfBlob } from '@juju-ssh/core';
import { SignJWT } from 'jose';
import { modelAccessKey, type RelayTokenRequest, SSH_PUBLIC_KEY_CLAIM } from './relay-claims.js';
import type { SigningKey } from './signing-key.js';

/** The longest lifetime a controller accepts by default; tokens are minted well inside it. */
export const MAX_RELAY_TOKEN_LIFETIME_SECONDS = 600;

/** A minted token and what JIMM notes about it. */
export interface MintedRelayToken {
  /** The compact JWS, presented as the relay user's password. */
  readonly token: string;
  /** Its jti. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

/** How tokens are minted. */
export interface RelayTokenIssuerOptions {
  readonly signingKey: SigningKey;
  /** Names JIMM in the `iss` claim. */
  readonly issuer: string;
  /** Seconds a token stays valid; at most {@link MAX_RELAY_TOKEN_LIFETIME_SECONDS}. */
  readonly lifetimeSeconds: number;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

/** Signs relay tokens with JIMM's key. */
export class RelayTokenIssuer {
  private readonly now: () => Date;

  constructor(private readonly options: RelayTokenIssuerOptions) {
    const { lifetimeSeconds } = options;
    if (
      !Number.isInteger(lifetimeSeconds) ||
      lifetimeSeconds < 1 ||
      lifetimeSeconds > MAX_RELAY_TOKEN_LIFETIME_SECONDS
    ) {
      throw new JujuSshError(
        'config',
        `relay token lifetime ${lifetimeSeconds}s is out of range; use 1 to ` +
          `${MAX_RELAY_TOKEN_LIFETIME_SECONDS} seconds`,
      );
    }
    this.now = options.now ?? (() => new Date());
  }

  /** A signed token for one relayed session. */
  async mint(request: RelayTokenRequest): Promise<MintedRelayToken> {
    const { signingKey, issuer, lifetimeSeconds } = this.options;
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const publicLine = formatPublicKeyLine({
      type: keyTypeOfBlob(request.publicKey),
      blob: request.publicKey,
      comment: '',
    });
    const tokenId = randomBytes(16).toString('hex');
    const expiresAt = issuedAt + lifetimeSeconds;
    const token = await new SignJWT({
      access: { [modelAccessKey(request.modelUuid)]: 'admin' },
      [SSH_PUBLIC_KEY_CLAIM]: publicLine,
    })
      .setProtectedHeader({ alg: signingKey.algorithm, kid: signingKey.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(request.controllerId)
      .setSubject(request.user)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(expiresAt)
      .setJti(tokenId)
      .sign(signingKey.privateKey);
    return { token, tokenId, expiresAt: new Date(expiresAt * 1000) };
  }
}
