/**
 * How many of a load's lines the read thread converts to JSONB. Converting a line costs this
 * thread about what it spares the session's, so it pays only while the session is the one behind:
 * the share rises a step each time a chunk had to wait for the session to take the ones before,
 * and falls a bigger step each time it did not (a session that only now and then falls behind,
 * as it inserts a big batch, keeps it near 0). Lines are picked evenly: every line once the share
 * is 1, none at 0.
 */
export class ConversionShare {
  private credit = 0;

  constructor(
    private current: number,
    private readonly rise = 0.02,
    private readonly fall = 0.05,
  ) {}

  get share(): number {
    return this.current;
  }

  /** Whether to convert the next line. */
  take(): boolean {
    this.credit += this.current;
    if (this.credit < 1) return false;
    this.credit -= 1;
    return true;
  }

  /** After a chunk is sent: whether it waited for the session to take an earlier one. */
  sent(waited: boolean): void {
    this.current = Math.min(1, Math.max(0, this.current + (waited ? this.rise : -this.fall)));
  }
}
