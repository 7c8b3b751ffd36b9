import type { JobQueue } from '../platform/job-queue';
import type { Logger } from '../platform/logger';
import { DELIVERY_QUEUE } from './webhook-outbox';
import { DELIVERY_TIMEOUT_MS, type WebhookSender } from './webhook-sender';

/** Attempts one instance sends at once (each mostly waits on the endpoint). */
const DELIVERIES_PER_FETCH = 10;

/**
 * Delivery attempts are jobs: every instance works the queue, a job waiting for its retry survives
 * restarts, and an attempt whose instance died mid-way expires and is sent again (with the same
 * `webhook-id`: at-least-once).
 */
export async function startWebhookDeliveries(deps: { queue: JobQueue; sender: WebhookSender; logger: Logger }): Promise<void> {
  const { boss } = deps.queue;
  await boss.createQueue(DELIVERY_QUEUE, {
    name: DELIVERY_QUEUE,
    policy: 'standard',
    expireInSeconds: Math.ceil(DELIVERY_TIMEOUT_MS / 1000) + 20,
    retryLimit: 2,
    retryDelay: 10,
    retentionMinutes: 60,
  });
  const worker: string = await boss.work<{ deliveryId: string }>(DELIVERY_QUEUE, { pollingIntervalSeconds: 1, batchSize: DELIVERIES_PER_FETCH }, async (jobs) => {
    await Promise.allSettled(
      jobs.map((job) =>
        deps.sender.deliver(job.data.deliveryId).catch((err: unknown) => {
          deps.logger.error({ err, deliveryId: job.data.deliveryId }, 'webhook delivery crashed');
        }),
      ),
    );
    // A full batch means more may wait: fetch again at once instead of after the polling interval.
    if (jobs.length === DELIVERIES_PER_FETCH) boss.notifyWorker(worker);
  });
}
