import http from 'node:http';
import https from 'node:https';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { Logger } from '../platform/logger';
import type { WebhookOutbox } from './webhook-outbox';
import type { WebhookStore } from './webhook-store';
import type { WebhookUrlPolicy } from './url-policy';

/** The whole exchange with an endpoint, body included. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Enough of an endpoint's answer to say what went wrong; the rest is not read. */
const RESPONSE_BYTES_KEPT = 300;

/**
 * What became of one delivery attempt: `delivered` (2xx); `retry` (it failed and is tried again
 * later); `failed` (it failed and no retry is left); `gone` (410: the endpoint is now disabled);
 * `refused` (the URL may not be called, so nothing was sent); `disabled` (the endpoint was
 * disabled before the attempt, so nothing was sent).
 */
export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'failed', 'gone', 'refused', 'disabled'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

interface Attempt {
  statusCode: number | null;
  error: string | null;
}

/**
 * Sends one delivery attempt, signed per the Standard Webhooks specification (`webhook-id`, the
 * same on every attempt; `webhook-timestamp`; `webhook-signature: v1,<base64 HMAC-SHA256>`),
 * following no redirect, and records the outcome: a 2xx succeeds; 410 Gone disables the endpoint;
 * anything else (another status, a timeout, a network error) is retried per the schedule, then
 * the delivery is `failed` and stays visible.
 */
export class WebhookSender {
  constructor(
    private readonly deps: {
      store: WebhookStore;
      outbox: WebhookOutbox;
      policy: WebhookUrlPolicy;
      retryScheduleSeconds: number[];
      logger: Logger;
      /** Told the outcome of every attempt, once it is recorded (the metrics count them). */
      onOutcome?: (outcome: DeliveryOutcome) => void;
    },
  ) {}

  async deliver(deliveryId: string): Promise<void> {
    const found = await this.deps.store.forDelivery(deliveryId);
    if (!found || found.delivery.status !== 'pending') return; // delivered meanwhile, or gone with its endpoint
    const { delivery, endpoint } = found;
    if (!endpoint.enabled) {
      await this.deps.store.recordAttempt(delivery.id, { status: 'failed', statusCode: null, error: 'the endpoint is disabled', nextAttemptAt: null });
      return this.deps.onOutcome?.('disabled');
    }
    let url: URL;
    try {
      url = await this.deps.policy.check(endpoint.url);
    } catch (err) {
      // Refused before any connection: a URL that now resolves somewhere it may not go.
      await this.deps.store.recordAttempt(delivery.id, { status: 'failed', statusCode: null, error: (err as Error).message, nextAttemptAt: null });
      this.deps.logger.warn({ deliveryId, endpointId: endpoint.id }, 'webhook delivery refused: the URL is not allowed');
      return this.deps.onOutcome?.('refused');
    }
    const body = JSON.stringify(delivery.payload);
    const attempt = await this.post(url, body, this.sign(endpoint.secret, delivery.event_id, body));
    const attempts = delivery.attempts + 1;
    if (attempt.statusCode !== null && attempt.statusCode >= 200 && attempt.statusCode < 300) {
      await this.deps.store.recordAttempt(delivery.id, { status: 'succeeded', ...attempt, nextAttemptAt: null });
      return this.deps.onOutcome?.('delivered');
    }
    if (attempt.statusCode === 410) {
      await this.deps.store.recordAttempt(delivery.id, { status: 'failed', ...attempt, error: 'the endpoint answered 410 Gone: it is now disabled', nextAttemptAt: null, disableEndpoint: true });
      this.deps.logger.info({ endpointId: endpoint.id }, 'webhook endpoint answered 410 Gone: disabled');
      return this.deps.onOutcome?.('gone');
    }
    const waitSeconds = this.deps.retryScheduleSeconds[attempts - 1];
    if (waitSeconds === undefined) {
      await this.deps.store.recordAttempt(delivery.id, { status: 'failed', ...attempt, nextAttemptAt: null });
      return this.deps.onOutcome?.('failed');
    }
    const nextAttemptAt = new Date(Date.now() + waitSeconds * 1000);
    await this.deps.store.recordAttempt(delivery.id, { status: 'pending', ...attempt, nextAttemptAt }, (db) => this.deps.outbox.enqueue(db, [delivery.id], waitSeconds));
    this.deps.onOutcome?.('retry');
  }

  private sign(secret: string, eventId: string, body: string): Record<string, string> {
    const timestamp = new Date();
    return {
      'webhook-id': eventId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new StandardWebhook(secret).sign(eventId, timestamp, body),
    };
  }

  private post(url: URL, body: string, signature: Record<string, string>): Promise<Attempt> {
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'tasks-salesforce-webhooks', ...signature, 'content-length': Buffer.byteLength(body) },
          lookup: this.deps.policy.lookupFor(url),
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          agent: false,
        },
        (res) => {
          let kept = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (kept.length < RESPONSE_BYTES_KEPT) kept += chunk.slice(0, RESPONSE_BYTES_KEPT - kept.length);
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            resolve({ statusCode: status, error: status >= 200 && status < 300 ? null : `HTTP ${status}${kept ? `: ${kept.replace(/\s+/g, ' ').trim()}` : ''}` });
          });
          res.on('error', (err) => resolve({ statusCode: res.statusCode ?? null, error: describe(err) }));
        },
      );
      request.on('error', (err) => resolve({ statusCode: null, error: describe(err) }));
      request.end(body);
    });
  }
}

function describe(err: Error): string {
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`;
  const code = (err as NodeJS.ErrnoException).code;
  if (err.message.startsWith('The webhook')) return err.message; // the policy refused the address at connect time
  return code ? `could not connect (${code})` : err.message.slice(0, 200);
}
