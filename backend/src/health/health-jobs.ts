import { JobQueue } from '../platform/job-queue';
import type { Logger } from '../platform/logger';
import type { HealthChecker } from './health-checker';
import type { DueCheck, HealthStore } from './health-store';

/** Finds due connections and queues their checks; re-queues itself, so one sweep runs at a time across all instances. */
export const SWEEP_QUEUE = 'salesforce-health-sweep';
/** One job per connection check. */
export const CHECK_QUEUE = 'salesforce-health-check';
/** Connections one claiming transaction takes. */
const SWEEP_BATCH = 500;
/** A sweep stops after this many batches (50,000 checks); the next sweep takes the rest. */
const MAX_BATCHES_PER_SWEEP = 100;
/** Checks one instance runs at once (each mostly waits on Salesforce). */
const CHECKS_PER_FETCH = 10;

export interface HealthJobsDeps {
  queue: JobQueue;
  store: HealthStore;
  checker: HealthChecker;
  logger: Logger;
  checkIntervalMs: number;
  /** The longest one check can take (a refresh and an identity call, each with its deadline). */
  checkTimeoutMs: number;
}

/**
 * Runs the background health checks on the job queue. Every instance works both queues; the
 * sweep queue is `stately` with one key, so at most one sweep waits and one runs at any moment
 * whatever the number of instances, and pg-boss's cron re-seeds it every minute should the chain
 * ever break. A claimed connection's due time moves ahead in the same transaction that inserts
 * its check job, so each due connection is checked exactly once; a check whose instance died
 * expires (after `checkTimeoutMs`) and is retried by another instance.
 */
export class HealthJobs {
  private readonly sweepEverySeconds: number;
  private readonly pollingSeconds: number;
  private checkWorker: string | undefined;

  constructor(private readonly deps: HealthJobsDeps) {
    // Often enough that a connection is checked close to its due time, at most every minute.
    this.sweepEverySeconds = Math.min(60, Math.max(0.5, deps.checkIntervalMs / 2000));
    this.pollingSeconds = Math.min(2, this.sweepEverySeconds);
  }

  async start(): Promise<void> {
    if (this.deps.checkIntervalMs <= 0) return;
    const { boss } = this.deps.queue;
    const expireInSeconds = Math.ceil(this.deps.checkTimeoutMs / 1000);
    await boss.createQueue(SWEEP_QUEUE, { name: SWEEP_QUEUE, policy: 'stately', expireInSeconds: 60, retryLimit: 0 });
    await boss.createQueue(CHECK_QUEUE, { name: CHECK_QUEUE, policy: 'standard', expireInSeconds, retryLimit: 2, retryDelay: 5, retentionMinutes: 60 });
    const scheduled = await this.deps.store.scheduleUnscheduled();
    if (scheduled) this.deps.logger.info({ connections: scheduled }, 'salesforce health checks scheduled for connections made before they existed');

    await boss.work(SWEEP_QUEUE, { pollingIntervalSeconds: this.pollingSeconds, batchSize: 1 }, () => this.sweep());
    this.checkWorker = await boss.work<DueCheck>(CHECK_QUEUE, { pollingIntervalSeconds: this.pollingSeconds, batchSize: CHECKS_PER_FETCH }, async (jobs) => {
      // Settled one by one: failing the batch would re-run the checks that passed.
      await Promise.allSettled(jobs.map((job) => this.check(job.data)));
      // A full batch means more may wait: fetch again at once instead of after the polling interval.
      if (jobs.length === CHECKS_PER_FETCH && this.checkWorker) this.deps.queue.boss.notifyWorker(this.checkWorker);
    });
    await boss.schedule(SWEEP_QUEUE, '* * * * *', {}, { singletonKey: SWEEP_QUEUE });
    await this.queueNextSweep(0);
  }

  private async sweep(): Promise<void> {
    try {
      const leaseMs = this.deps.checkTimeoutMs * 3; // the job's retries included
      // Batch after batch (one short transaction each) until the due ones are all queued.
      for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
        const taken = await this.deps.store.claimDue(SWEEP_BATCH, leaseMs, (due, db) =>
          this.deps.queue.boss.insert(
            due.map((check) => ({ name: CHECK_QUEUE, data: check })),
            { db: JobQueue.inTransaction(db) },
          ),
        );
        if (!taken.length) break;
        this.deps.logger.debug({ connections: taken.length }, 'salesforce health checks queued');
        if (this.checkWorker) this.deps.queue.boss.notifyWorker(this.checkWorker); // this instance fetches at once; others on their next poll
        if (taken.length < SWEEP_BATCH) break;
      }
    } finally {
      // The successor waits in `created` while this sweep is `active`: the stately queue allows one of each.
      await this.queueNextSweep(this.sweepEverySeconds);
    }
  }

  private async check({ taskId, dueAt }: DueCheck): Promise<void> {
    try {
      await this.deps.checker.check(taskId, { dueAt: dueAt ? new Date(dueAt).getTime() : undefined });
    } catch (err) {
      // Not a Salesforce answer (the database down, a bug): the connection's due time was moved
      // only a lease ahead when it was claimed, so it comes due again and is checked then.
      this.deps.logger.error({ err, taskId }, 'salesforce health check crashed');
    }
  }

  private async queueNextSweep(afterSeconds: number): Promise<void> {
    await this.deps.queue.boss.send(SWEEP_QUEUE, {}, { singletonKey: SWEEP_QUEUE, startAfter: afterSeconds });
  }
}
