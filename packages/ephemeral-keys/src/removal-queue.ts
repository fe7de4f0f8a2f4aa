/**
 * Removals of ephemeral keys from one login user's file on one machine. The first removal runs
 * at once; those asked for while a run is under way wait for it and then go together in one
 * run, so that a thousand sessions ending at once cost a few runs of the forced command rather
 * than a thousand edits of the file, one after another, under its lock.
 */

/** Removes the keys of `sessionIds` in one run; rejects if that run failed. */
export type RemoveBatch = (sessionIds: readonly string[]) => Promise<void>;

interface Waiting {
  readonly sessionId: string;
  resolve(): void;
  reject(error: unknown): void;
}

/** Sessions one run removes at most, which keeps the command line short. */
export const MAX_SESSIONS_PER_RUN = 64;

/** The removal queue of one machine and login user. */
export class RemovalQueue {
  private waiting: Waiting[] = [];
  private running = false;

  /**
   * @param removeBatch runs one removal
   * @param onIdle called whenever the queue has run dry, so that its owner may drop it
   */
  constructor(
    private readonly removeBatch: RemoveBatch,
    private readonly onIdle: () => void,
  ) {}

  /** Settles when a run that included `sessionId` has ended. */
  remove(sessionId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ sessionId, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_SESSIONS_PER_RUN);
      try {
        await this.removeBatch(batch.map((item) => item.sessionId));
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.running = false;
    this.onIdle();
  }
}
