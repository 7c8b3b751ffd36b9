/**
 * When a connection's next background check is due. Every connection is checked once per
 * interval, each time at a slightly different moment (±10%), so that connections made together
 * (or a fleet re-scheduled at start-up) spread out instead of firing at once. A failing check is
 * retried sooner, backing off: a minute, then 2, 4, … never later than the interval.
 */
export class CheckSchedule {
  constructor(private readonly intervalMs: number) {}

  get isOn(): boolean {
    return this.intervalMs > 0;
  }

  /** After a connect, or for a connection that has no check scheduled yet: anywhere within one interval. */
  first(now = Date.now()): Date | null {
    const { fromMs, spreadMs } = this.firstWindow();
    return this.isOn ? new Date(now + fromMs + spreadMs * Math.random()) : null;
  }

  /** Where `first()` falls, from now: the earliest, and how far it spreads beyond (for SQL that schedules many rows at once). */
  firstWindow(): { fromMs: number; spreadMs: number } {
    return { fromMs: this.intervalMs * 0.1, spreadMs: this.intervalMs * 0.9 };
  }

  /**
   * After a check that passed: one interval after it was due (so that the time a check waits in
   * the queue does not stretch every interval), and at least half an interval from now.
   */
  next(dueAt: number | undefined, now = Date.now()): Date | null {
    if (!this.isOn) return null;
    const next = (dueAt ?? now) + this.intervalMs * (0.9 + 0.2 * Math.random());
    return new Date(Math.max(next, now + this.intervalMs / 2));
  }

  /** After the `failures`-th failed check in a row (a passing failure: unreachable, 5xx, API limit). */
  retry(failures: number, now = Date.now()): Date | null {
    if (!this.isOn) return null;
    const backoff = Math.min(this.intervalMs, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
    return new Date(now + backoff * (0.9 + 0.2 * Math.random()));
  }
}

const RETRY_BASE_MS = 60_000;
