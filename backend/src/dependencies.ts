import type { Pool } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AccountService } from './auth/account-service';
import { AuthService } from './auth/auth-service';
import { BrowserSessions } from './auth/browser-sessions';
import type { LoginRateLimitOptions } from './auth/login-rate-limit';
import { createAuthenticator } from './auth/passport';
import type { RegistrationRateLimitOptions } from './auth/registration-rate-limit';
import { createSessionStore } from './auth/session-middleware';
import type { Config } from './config';
import { createDataSource, runMigrations } from './platform/data-source';
import { SCHEMA } from './schema';
import type { Logger } from './platform/logger';
import { TaskService } from './tasks/task-service';
import { ChangeFeed } from './platform/change-feed';
import { TokenCipher } from './platform/token-cipher';
import { SalesforceConnector } from './salesforce/connector';
import { CredentialStore } from './salesforce/credential-store';
import { OAuthStateStore } from './salesforce/oauth-state-store';
import { createSalesforceHttp, DEFAULT_SALESFORCE_TIMEOUT_MS } from './salesforce/http-client';
import { InstanceHttp } from './salesforce/instance-http';
import { SalesforceOAuth } from './salesforce/oauth-client';
import { SfdcService } from './salesforce/sfdc-service';
import { TokenRefresher } from './salesforce/token-refresher';
import { ApiUsageTracker } from './salesforce/api-usage';
import { LoginHosts } from './salesforce/login-hosts';
import { TrustedHosts } from './salesforce/trusted-hosts';
import { CheckSchedule } from './salesforce/check-schedule';
import { HealthChecker } from './health/health-checker';
import { HealthJobs } from './health/health-jobs';
import { HealthStore } from './health/health-store';
import { JobQueue } from './platform/job-queue';
import { WebhookOutbox } from './webhooks/webhook-outbox';
import { startWebhookDeliveries } from './webhooks/webhook-jobs';
import { WebhookSender, type DeliveryOutcome } from './webhooks/webhook-sender';
import { WebhookStore } from './webhooks/webhook-store';
import { WebhookUrlPolicy, type Resolver } from './webhooks/url-policy';
import { ApiTokenService } from './tokens/api-token-service';
import { Metrics } from './metrics/metrics';
import { RetentionJobs } from './retention/retention-jobs';
import { RetentionStore } from './retention/retention-store';

export interface DependencyOptions {
  /** The database to use (DATABASE_URL, or the embedded PostgreSQL main.ts started). */
  databaseUrl: string;
  logger: Logger;
  /** The Angular build to serve at `/`; unset serves the API only. */
  frontendDir?: string;
  /** Failed sign-ins allowed per 15 minutes. */
  loginRateLimit?: LoginRateLimitOptions;
  /** Sign-ups allowed per client address and hour. */
  registrationRateLimit?: RegistrationRateLimitOptions;
  /** How webhook hosts are resolved (tests: DNS answers they control; the system resolver otherwise). */
  resolveHost?: Resolver;
  /** The deadline of every call to Salesforce (tests pass a short one). */
  salesforceTimeoutMs?: number;
  /** The largest answer the proxy streams (tests pass a small one). */
  proxyResponseLimitBytes?: number;
}

export type Dependencies = Awaited<ReturnType<typeof createDependencies>>;

/**
 * The composition root: the only place objects are built from configuration. Connects to the
 * database and applies pending migrations before anything can serve a request.
 */
export async function createDependencies(config: Config, options: DependencyOptions) {
  const { logger } = options;
  const dataSource = createDataSource(options.databaseUrl, SCHEMA);
  await dataSource.initialize();
  await runMigrations(dataSource);

  // The session store shares TypeORM's pg pool rather than opening a second one.
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const changes = new ChangeFeed({ databaseUrl: options.databaseUrl, logger });
  await changes.start();
  const sessionStore = createSessionStore(pool, logger, changes);
  const auth = new AuthService({ dataSource, changes });
  const tasks = new TaskService({ dataSource, changes });
  const cipher = new TokenCipher(config.crypto.tokenKey);
  const trustedHosts = new TrustedHosts(config.salesforce.trustedHosts);
  const salesforceTimeoutMs = options.salesforceTimeoutMs ?? DEFAULT_SALESFORCE_TIMEOUT_MS;
  // OAuth (login hosts) on axios; REST and identity calls (the hot path) on undici's pools.
  const http = createSalesforceHttp(salesforceTimeoutMs);
  const instanceHttp = new InstanceHttp({ timeoutMs: salesforceTimeoutMs, streamedLimitBytes: options.proxyResponseLimitBytes });
  const apiTokens = new ApiTokenService({ dataSource, changes, logger });
  const queue = new JobQueue({ databaseUrl: options.databaseUrl, logger });
  await queue.start();
  const webhooks = new WebhookStore({ dataSource, cipher });
  const outbox = new WebhookOutbox({ store: webhooks, queue });
  const webhookPolicy = new WebhookUrlPolicy(config.webhooks.allowedHosts, options.resolveHost);
  const schedule = new CheckSchedule(config.health.checkIntervalMs);
  const credentials = new CredentialStore({ dataSource, cipher, changes, schedule, onEvent: (db, taskId, kind, detail) => outbox.onConnectionEvent(db, taskId, kind, detail) });
  const resealed = await credentials.sealLegacyTokens();
  if (resealed) logger.info({ tasks: resealed }, 'salesforce tokens re-encrypted, bound to their Task');
  const healthStore = new HealthStore({ dataSource, credentials, changes, schedule });
  // Its own registry (not prom-client's global one): several apps may run in one process (tests).
  const metrics = new Metrics({ connectionsByHealth: () => healthStore.countByHealth(), waitingJobs: () => queue.waitingJobs() }, logger);
  const loginHosts = new LoginHosts(config.salesforce);
  const oauth = new SalesforceOAuth({ settings: config.salesforce, http, trustedHosts, loginHosts });
  // A refresh lease must outlive the longest call to the token endpoint (the HTTP client's deadline).
  const refresher = new TokenRefresher({ credentials, oauth, logger, leaseMs: salesforceTimeoutMs + 5_000, onOutcome: (outcome) => metrics.refreshes.inc({ outcome }) });
  const apiUsage = new ApiUsageTracker({ dataSource, credentials, changes, logger });
  const sfdc = new SfdcService({ credentials, refresher, http: instanceHttp, trustedHosts, usage: apiUsage });
  const connector = new SalesforceConnector({
    settings: config.salesforce,
    tasks,
    credentials,
    states: new OAuthStateStore({ dataSource, cipher }),
    oauth,
    sfdc,
    loginHosts,
    logger,
    apiUsage,
  });

  const browserSessions = new BrowserSessions({ dataSource, secret: config.session.secret, changes });
  const account = new AccountService({ dataSource, sessions: browserSessions, changes, logger, revokeSalesforceConnections: (userId) => connector.revokeAllOf(userId).then(() => undefined) });

  const onDelivery = (outcome: DeliveryOutcome) => metrics.webhookDeliveries.inc({ outcome });
  await startWebhookDeliveries({
    queue,
    sender: new WebhookSender({ store: webhooks, outbox, policy: webhookPolicy, retryScheduleSeconds: config.webhooks.retryScheduleSeconds, logger, onOutcome: onDelivery }),
    logger,
  });
  const healthChecker = new HealthChecker({ store: healthStore, credentials, refresher, sfdc, schedule, keepAliveRefreshAfterMs: config.health.keepAliveRefreshAfterMs, logger });
  // A check is a keep-alive refresh and an identity call, each within the Salesforce deadline.
  const healthJobs = new HealthJobs({ queue, store: healthStore, checker: healthChecker, logger, checkIntervalMs: config.health.checkIntervalMs, checkTimeoutMs: 2 * salesforceTimeoutMs + 5_000 });
  await healthJobs.start();
  const retention = new RetentionJobs({ queue, store: new RetentionStore({ dataSource }), logger, eventDays: config.retention.eventDays, deliveryDays: config.retention.deliveryDays });
  await retention.start();

  return {
    config,
    logger,
    dataSource,
    auth,
    passport: createAuthenticator(auth),
    account,
    browserSessions,
    sessionStore,
    tasks,
    credentials,
    refresher,
    sfdc,
    connector,
    queue,
    healthChecker,
    webhooks,
    outbox,
    webhookPolicy,
    apiTokens,
    apiUsage,
    changes,
    metrics,
    retention,
    frontendDir: options.frontendDir,
    loginRateLimit: options.loginRateLimit ?? { perAccount: 10, perIp: 100, perAccountAnyAddress: 30 },
    registrationRateLimit: options.registrationRateLimit ?? { perHour: 20 },
    async close(): Promise<void> {
      await Promise.all([apiTokens.stop(), apiUsage.stop()]).catch((err: unknown) => logger.warn({ err }, 'writing usage counts at shutdown failed'));
      await queue.stop();
      await instanceHttp.close();
      sessionStore.close();
      await changes.stop();
      await dataSource.destroy();
    },
  };
}
