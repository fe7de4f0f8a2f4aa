/**
 * The audit events a session produces, from the accepted connection to its close. Plain data:
 * the jump server fills them in, the audit trail carries them to its sinks.
 */

/** Fields common to every event. `time` is ISO 8601. */
interface AuditBase {
  readonly time: string;
  readonly connectionId: string;
  readonly sourceAddress: string;
}

/** What identifies a session: who, where to, and by which path. */
export interface SessionFields {
  readonly sessionId: string;
  readonly user: string;
  readonly targetName: string;
  readonly modelUuid: string;
  readonly modelName: string;
  readonly targetKind: 'machine' | 'kubernetes';
  readonly machineId?: string;
  readonly unit?: string;
  readonly loginUser: string;
  readonly via: 'direct' | 'jimm';
}

/** One thing that happened on a connection, told by its `event` name. */
export type AuditEvent =
  | (AuditBase & { readonly event: 'connection-accepted' })
  | (AuditBase & {
      readonly event: 'auth-failed';
      readonly user: string;
      readonly method: string;
      readonly reason: string;
    })
  | (AuditBase & {
      readonly event: 'auth-succeeded';
      readonly user: string;
      readonly method: string;
      readonly keyFingerprint?: string;
    })
  | (AuditBase & {
      readonly event: 'target-refused';
      readonly user: string;
      readonly targetName: string;
      readonly reason: string;
    })
  | (AuditBase & SessionFields & { readonly event: 'session-started' })
  | (AuditBase & SessionFields & { readonly event: 'session-refused'; readonly reason: string })
  | (AuditBase & {
      readonly event: 'channel-opened';
      readonly sessionId: string;
      readonly channelType: string;
      readonly request?: string;
      readonly command?: string;
      readonly subsystem?: string;
      readonly pty?: boolean;
    })
  | (AuditBase &
      SessionFields & {
        readonly event: 'session-ended';
        readonly durationMs: number;
        readonly bytesFromClient: number;
        readonly bytesToClient: number;
        readonly exitStatus?: number;
        readonly exitSignal?: string;
        readonly endReason: string;
      })
  | (AuditBase & { readonly event: 'connection-closed'; readonly reason: string })
  | (AuditBase & RelayFields & { readonly event: 'relay-started' })
  | (AuditBase &
      RelayFields & {
        readonly event: 'relay-ended';
        readonly durationMs: number;
        readonly bytesFromClient: number;
        readonly bytesToClient: number;
        readonly endReason: string;
      });

/**
 * What identifies a session JIMM relays to a controller. JIMM sees neither the login user nor
 * anything inside the session: the inner SSH connection runs end to end.
 */
export interface RelayFields {
  readonly sessionId: string;
  readonly user: string;
  readonly targetName: string;
  readonly modelUuid: string;
  readonly modelName: string;
  readonly controllerId: string;
  /** The id (jti) of the relay token JIMM minted for the session. */
  readonly tokenId: string;
}
