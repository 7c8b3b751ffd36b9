import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { CONNECTION_HEALTH_STATES } from '../contract';
import type { Logger } from '../platform/logger';
import { REFRESH_OUTCOMES } from '../salesforce/token-refresher';
import { DELIVERY_OUTCOMES } from '../webhooks/webhook-sender';

/** What the gauges read from the database when Prometheus scrapes (never on a request's path). */
export interface MetricSources {
  /** Connected Tasks per health state. */
  connectionsByHealth(): Promise<Record<string, number>>;
  /** Jobs waiting per job queue. */
  waitingJobs(): Promise<Record<string, number>>;
}

/**
 * Seconds: from a cached proxy call (a few ms) to a slow Salesforce answer (the client's deadline
 * is 15 s), so the top buckets still tell "slow" from "timed out".
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30];

/**
 * The app's Prometheus metrics, on a registry of its own (never prom-client's global one: tests
 * run several apps in one process). Label values are always from a fixed set (route patterns,
 * status codes, outcomes, states, queue names): never a token, a name, an email, an id or a path.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Every HTTP request, by route pattern (`/api/tasks/:taskId`), method and status. */
  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status, with their duration',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  /** Calls to the Salesforce proxy, by the status it answered (Salesforce's own, or ours). */
  readonly proxyRequests = new Counter({
    name: 'tasks_sfdc_proxy_requests_total',
    help: 'Calls to the Salesforce proxy, by the HTTP status it answered',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** Calls to Salesforce's token endpoint for an expired access token, by outcome. */
  readonly refreshes = new Counter({
    name: 'tasks_sfdc_refreshes_total',
    help: 'Access token refreshes, by outcome: refreshed, jwt_minted, refused (reconnect needed), failed (network, 5xx)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Webhook delivery attempts, by outcome. */
  readonly webhookDeliveries = new Counter({
    name: 'tasks_sfdc_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome: delivered, retry, failed (no retry left), gone (410), refused (URL not allowed), disabled',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources, logger: Logger) {
    collectDefaultMetrics({ register: this.registry });
    // Every known outcome from the start, at 0: rate() and alerts need the series before the first event.
    for (const outcome of REFRESH_OUTCOMES) this.refreshes.inc({ outcome }, 0);
    for (const outcome of DELIVERY_OUTCOMES) this.webhookDeliveries.inc({ outcome }, 0);

    new Gauge({
      name: 'tasks_sfdc_connections',
      help: 'Connected Tasks by health state: healthy, degraded, reconnect_needed',
      labelNames: ['health'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await readOrLog(sources.connectionsByHealth, logger, 'connections by health');
        this.reset();
        if (!counts) return; // no series rather than stale ones: the scrape still answers
        for (const health of CONNECTION_HEALTH_STATES) this.set({ health }, counts[health] ?? 0);
      },
    });
    new Gauge({
      name: 'tasks_sfdc_job_queue_depth',
      help: 'Jobs waiting in each job queue (created or retrying, due now or later)',
      labelNames: ['queue'] as const,
      registers: [this.registry],
      async collect() {
        const depths = await readOrLog(sources.waitingJobs, logger, 'job queue depths');
        this.reset();
        for (const [queue, waiting] of Object.entries(depths ?? {})) this.set({ queue }, waiting);
      },
    });
  }
}

/** A gauge's reading, or undefined (logged) when the database does not answer: one failing source must not fail the scrape. */
async function readOrLog<T>(read: () => Promise<T>, logger: Logger, what: string): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    logger.warn({ err }, `metrics: reading ${what} failed`);
    return undefined;
  }
}
