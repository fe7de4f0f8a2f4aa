/**
 * Who an API request comes from: registration strings issued and exchanged for credentials,
 * and credentials checked on every request against an enabled user.
 */
import { type Awaitable, JujuSshError, type UserRecord } from '@juju-ssh/core';
import type { ApiCredentialRecord, NewApiCredential } from '@juju-ssh/state';
import {
  CREDENTIAL_PREFIX,
  hashSecret,
  isSecret,
  newSecret,
  REGISTRATION_PREFIX,
} from './api-secrets.js';

/** What API access reads and writes; the store implements it. */
export interface ApiAccessStore {
  findUser(name: string): Awaitable<UserRecord | undefined>;
  addRegistration(user: string, secretHash: string, expiresAt: Date): Awaitable<void>;
  redeemRegistration(
    secretHash: string,
    credential: NewApiCredential,
    now: Date,
  ): Awaitable<string>;
  addApiCredential(user: string, credential: NewApiCredential): Awaitable<void>;
  findApiCredential(tokenHash: string): Awaitable<ApiCredentialRecord | undefined>;
}

/** How long a registration string stays valid, and the clock. */
export interface ApiAccessOptions {
  /** Default: seven days. */
  readonly registrationTtlMs?: number;
  readonly now?: () => Date;
}

/** A registration string just issued. */
export interface IssuedRegistration {
  readonly user: string;
  readonly registration: string;
  readonly expiresAt: Date;
}

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Issues registrations and credentials, and says whom a credential belongs to. */
export class ApiAccess {
  private readonly ttlMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly store: ApiAccessStore,
    options: ApiAccessOptions = {},
  ) {
    this.ttlMs = options.registrationTtlMs ?? WEEK_MS;
    this.now = options.now ?? (() => new Date());
  }

  /** A new one-time registration string for an existing user. */
  async issueRegistration(user: string): Promise<IssuedRegistration> {
    const registration = newSecret(REGISTRATION_PREFIX);
    const expiresAt = new Date(this.now().getTime() + this.ttlMs);
    await this.store.addRegistration(user, hashSecret(registration), expiresAt);
    return { user, registration, expiresAt };
  }

  /**
   * Exchanges a registration string for a new credential; the string is then spent.
   * @throws JujuSshError `access-denied` for an unknown, spent or expired string.
   */
  async redeemRegistration(
    registration: string,
    label: string,
  ): Promise<{ user: string; credential: string }> {
    if (!isSecret(registration, REGISTRATION_PREFIX)) {
      throw new JujuSshError(
        'invalid-argument',
        `a registration string starts with ${REGISTRATION_PREFIX}; copy the whole string ` +
          'add-user printed',
      );
    }
    const credential = newSecret(CREDENTIAL_PREFIX);
    const user = await this.store.redeemRegistration(
      hashSecret(registration),
      { tokenHash: hashSecret(credential), label, createdAt: this.now() },
      this.now(),
    );
    return { user, credential };
  }

  /** A new credential for `user`, made without a registration (by an admin on the host). */
  async issueCredential(user: string, label: string): Promise<string> {
    const credential = newSecret(CREDENTIAL_PREFIX);
    await this.store.addApiCredential(user, {
      tokenHash: hashSecret(credential),
      label,
      createdAt: this.now(),
    });
    return credential;
  }

  /**
   * The enabled user a credential belongs to.
   * @throws JujuSshError `access-denied` saying why the credential is not accepted.
   */
  async authenticate(credential: string): Promise<UserRecord> {
    const record = isSecret(credential, CREDENTIAL_PREFIX)
      ? await this.store.findApiCredential(hashSecret(credential))
      : undefined;
    const user = record === undefined ? undefined : await this.store.findUser(record.user);
    if (user === undefined) {
      throw new JujuSshError(
        'access-denied',
        'this credential is not recognised by the controller (revoked, or for another ' +
          'controller); log in again with a new registration string',
      );
    }
    if (user.disabled) {
      throw new JujuSshError(
        'access-denied',
        `user ${user.name} is disabled; ask a controller superuser to enable it`,
      );
    }
    return user;
  }
}
