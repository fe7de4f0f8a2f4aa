/**
 * Notes for the user of one inner connection that the SSH protocol has no room for, such as why
 * a remote forwarding or agent request was refused (a global request failure carries no text).
 * They go to the stderr of the running session channel, or of the next one to start.
 */

/** Where a session channel writes notes: its stderr, with the line ending its terminal needs. */
export type NoticeWriter = (line: string) => void;

/** The notes of one inner connection. */
export class ConnectionNotices {
  private readonly pending: string[] = [];
  private readonly writers: NoticeWriter[] = [];

  /** Shows `text` now on a running session, or on the next session that starts. */
  add(text: string): void {
    const writer = this.writers.at(-1);
    if (writer === undefined) {
      if (!this.pending.includes(text)) this.pending.push(text);
      return;
    }
    writer(text);
  }

  /**
   * Registers a running session channel: it writes what was held back now and later notes as
   * they come, until the returned function is called.
   */
  attach(writer: NoticeWriter): () => void {
    for (const text of this.pending.splice(0)) writer(text);
    this.writers.push(writer);
    return () => {
      const index = this.writers.indexOf(writer);
      if (index >= 0) this.writers.splice(index, 1);
    };
  }
}
