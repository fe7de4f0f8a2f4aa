/**
 * Verifying relay tokens on a controller: signed by a key of the trusted JIMM key set, meant
 * for this controller, short-lived and current, granting admin on models, naming the user's
 * SSH key, and never seen before. Every refusal says which of these failed.
 */
import { isModelUuid, JujuSshError, parsePublicKeyLine, quoteUntrusted } from '@juju-ssh/core';
import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { JwksSource } from './jwks-file.js';
import {
  RELAY_TOKEN_ALGORITHMS,
  SSH_PUBLIC_KEY_CLAIM,
  type VerifiedRelayToken,
} from './relay-claims.js';
import { MAX_RELAY_TOKEN_LIFETIME_SECONDS } from './relay-token-issuer.js';
import type { ReplayCache } from './replay-cache.js';

/** How tokens are checked. */
export interface RelayTokenVerifierOptions {
  /** This controller's id: the audience every token must name. */
  readonly audience: string;
  readonly jwks: JwksSource;
  readonly replayCache: ReplayCache;
  /** The longest `exp - iat` accepted; default {@link MAX_RELAY_TOKEN_LIFETIME_SECONDS}. */
  readonly maxLifetimeSeconds?: number;
  /** Clock skew tolerated between JIMM and this controller; default 30 seconds. */
  readonly clockToleranceSeconds?: number;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

const MAX_TOKEN_LENGTH = 8192;
const MODEL_ACCESS = /^model-(.+)$/;

/** Checks relay tokens presented by JIMM as the `external-auth` password. */
export class RelayTokenVerifier {
  constructor(private readonly options: RelayTokenVerifierOptions) {}

  /**
   * The user, models and key a token vouches for.
   * @throws JujuSshError `access-denied` naming what was wrong with the token, `config` when
   *   the trusted key set cannot be read.
   */
  async verify(token: string): Promise<VerifiedRelayToken> {
    const jwks = await this.options.jwks();
    if (jwks === undefined) {
      throw refused('this controller trusts no JIMM (install its key set with trust-jimm)');
    }
    if (token.length > MAX_TOKEN_LENGTH) throw refused('the token is too long');

    const payload = await this.checkSignatureAndTimes(token, createLocalJWKSet(jwks));
    const verified = readClaims(payload);
    if (!this.options.replayCache.firstUse(verified.tokenId, verified.expiresAt)) {
      throw refused(`token ${verified.tokenId} was already used; a token is good for one login`);
    }
    return verified;
  }

  private async checkSignatureAndTimes(
    token: string,
    keys: ReturnType<typeof createLocalJWKSet>,
  ): Promise<JWTPayload> {
    const { audience } = this.options;
    const maxLifetime = this.options.maxLifetimeSeconds ?? MAX_RELAY_TOKEN_LIFETIME_SECONDS;
    const now = this.options.now?.() ?? new Date();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [...RELAY_TOKEN_ALGORITHMS],
        audience,
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'aud'],
        maxTokenAge: maxLifetime,
        clockTolerance: this.options.clockToleranceSeconds ?? 30,
        currentDate: now,
      }));
    } catch (error) {
      throw refused(explainJoseError(error, audience));
    }
    const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
    if (lifetime > maxLifetime) {
      throw refused(
        `it is valid for ${lifetime}s; this controller accepts at most ${maxLifetime}s`,
      );
    }
    return payload;
  }
}

function readClaims(payload: JWTPayload): VerifiedRelayToken {
  const { sub, jti, exp, iss } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 256) {
    throw refused('its subject (sub) is not a user name');
  }
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 128) {
    throw refused('its id (jti) is missing or too long');
  }
  const modelUuids = adminModels(payload.access);
  if (modelUuids.length === 0) {
    throw refused('its access claim grants admin on no model');
  }
  const line = payload[SSH_PUBLIC_KEY_CLAIM];
  if (typeof line !== 'string') throw refused(`it names no SSH key (${SSH_PUBLIC_KEY_CLAIM})`);
  let publicKey: Buffer;
  try {
    publicKey = parsePublicKeyLine(line).blob;
  } catch (error) {
    throw refused(`its SSH key is unusable: ${error instanceof Error ? error.message : error}`);
  }
  return {
    user: sub,
    modelUuids,
    publicKey,
    tokenId: jti,
    ...(typeof iss === 'string' ? { issuer: iss } : {}),
    expiresAt: new Date((exp ?? 0) * 1000),
  };
}

/** The model UUIDs that `access` maps to `admin`. */
function adminModels(access: unknown): string[] {
  if (typeof access !== 'object' || access === null || Array.isArray(access)) {
    throw refused('its access claim is missing or not a map');
  }
  const models: string[] = [];
  for (const [key, level] of Object.entries(access)) {
    const uuid = MODEL_ACCESS.exec(key)?.[1];
    if (uuid !== undefined && isModelUuid(uuid) && level === 'admin') models.push(uuid);
  }
  return models;
}

function explainJoseError(error: unknown, audience: string): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      const aud = error.payload.aud;
      const named = Array.isArray(aud) ? aud.join(', ') : String(aud);
      return `it is meant for controller ${quoteUntrusted(named)}, not ${audience}`;
    }
    if (error.claim === 'iat') return 'it was issued too long ago or in the future';
    if (error.claim === 'nbf') return 'it is not valid yet';
    return `its ${error.claim} claim is wrong: ${error.reason}`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return 'it was signed with a key that is not in the trusted JIMM key set';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return 'its signature does not verify against the trusted JIMM keys';
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'it is signed with an algorithm not allowed';
  if (error instanceof errors.JOSEError) return `it is malformed (${error.code})`;
  return `it could not be checked: ${error instanceof Error ? error.message : String(error)}`;
}

function refused(reason: string): JujuSshError {
  return new JujuSshError('access-denied', `relay token refused: ${reason}`);
}
