import type { JobQueue } from '../platform/job-queue';
import type { Logger } from '../platform/logger';
import type { RetentionStore } from './retention-store';

export const RETENTION_QUEUE = 'data-retention';
/** Once a day, 03:17 UTC: off the hour, when other people's schedules bunch up. */
export const RETENTION_CRON = '17 3 * * *';
/** One run stops deleting after this long; the next day's run takes the rest. */
const RUN_BUDGET_MS = 15 * 60_000;

export interface RetentionResult {
  events: number;
  deliveries: number;
}

export interface RetentionJobsDeps {
  queue: JobQueue;
  store: RetentionStore;
  logger: Logger;
  /** Connection events older than this many days are deleted. */
  eventDays: number;
  /** Finished webhook deliveries older than this many days are deleted. */
  deliveryDays: number;
}

/**
 * The daily retention job on the job queue. Every instance registers the same cron schedule
 * (pg-boss keeps one per queue name, and sends each due job once whatever the number of
 * instances), and the queue is `singleton`: one run at a time across all instances.
 */
export class RetentionJobs {
  constructor(private readonly deps: RetentionJobsDeps) {}

  async start(): Promise<void> {
    const { boss } = this.deps.queue;
    await boss.createQueue(RETENTION_QUEUE, { name: RETENTION_QUEUE, policy: 'singleton', expireInSeconds: (2 * RUN_BUDGET_MS) / 1000, retryLimit: 1, retryDelay: 600 });
    // Daily work: a poll every 5 s (an indexed look at an empty queue) is cheap, and a run starts soon after it is due.
    await boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: 5, batchSize: 1 }, () => this.run());
    await boss.schedule(RETENTION_QUEUE, RETENTION_CRON, {}, { singletonKey: RETENTION_QUEUE });
  }

  /** One run: deletes what is past its retention and logs how many rows went. */
  async run(): Promise<RetentionResult> {
    const started = Date.now();
    const deadline = started + RUN_BUDGET_MS;
    const { store, eventDays, deliveryDays, logger } = this.deps;
    try {
      const events = await store.deleteEventsOlderThan(eventDays, deadline);
      const deliveries = await store.deleteFinishedDeliveriesOlderThan(deliveryDays, deadline);
      logger.info({ events, deliveries, eventDays, deliveryDays, ms: Date.now() - started }, 'retention: old connection events and webhook deliveries deleted');
      return { events, deliveries };
    } catch (err) {
      logger.error({ err }, 'retention run failed; it is retried');
      throw err;
    }
  }
}
