/**
 * Copies of stored events an ingest instance did not know (client retries that reached another
 * instance) each cancel a whole transaction: about 70 operations, 140 write units on DynamoDB, against
 * 1 read unit per event for looking every event up first. Above this share of such copies among the
 * events of the last RATE_WINDOW, reading first is cheaper; below it, not reading is.
 */
export const READ_FIRST_ABOVE = 0.002;
export const RATE_WINDOW = 10_000;
/** An instance starts by reading first, for this many events, to learn the share. */
export const WARM_UP = 1_000;

/** The share of unknown copies among recent events (decayed over RATE_WINDOW events), and what it advises. */
export class UnknownCopyRate {
  private seen = 0;
  private checked = 0;
  private copies = 0;

  /** `events` were looked at, `unknownCopies` of them turned out to be stored copies not known in memory. */
  observe(events: number, unknownCopies: number): void {
    this.seen += events;
    const keep = Math.max(0, 1 - events / RATE_WINDOW);
    this.checked = this.checked * keep + events;
    this.copies = this.copies * keep + unknownCopies;
  }

  /** Whether events not known in memory should be looked up before writing. */
  get readFirst(): boolean {
    return this.seen < WARM_UP || this.copies > READ_FIRST_ABOVE * this.checked;
  }
}
