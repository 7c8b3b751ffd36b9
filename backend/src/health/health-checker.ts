import type { ConnectionHealth } from '../contract';
import { AppError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { CheckSchedule } from '../salesforce/check-schedule';
import type { CredentialStore } from '../salesforce/credential-store';
import { SalesforceApiError, SalesforceReauthRequiredError, SalesforceResponseTooLargeError, SalesforceUnavailableError } from '../salesforce/errors';
import type { SfdcService } from '../salesforce/sfdc-service';
import type { TokenRefresher } from '../salesforce/token-refresher';
import type { HealthStore } from './health-store';

export interface HealthCheckerDeps {
  store: HealthStore;
  credentials: CredentialStore;
  refresher: TokenRefresher;
  sfdc: SfdcService;
  schedule: CheckSchedule;
  /** Refresh first when the last refresh is older than this, so refresh tokens never reach Salesforce's idle expiry. */
  keepAliveRefreshAfterMs: number;
  logger: Logger;
}

/**
 * One background check of one connection: a keep-alive refresh when the last refresh is old
 * (through the same single-flight refresher as every call), then the identity URL. The outcome
 * goes to `tasks.sfdc.health`, with an event only when the state changes.
 */
export class HealthChecker {
  constructor(private readonly deps: HealthCheckerDeps) {}

  /** Answers the new health, or undefined when the Task is gone, not connected, or already needs a reconnect. */
  async check(taskId: string, job: { dueAt?: number } = {}): Promise<ConnectionHealth | undefined> {
    const connection = await this.deps.store.read(taskId);
    if (!connection || connection.status !== 'connected') return undefined;
    const previous = connection.health;
    const checkedAt = new Date();
    try {
      if (this.keepAliveDue(connection.lastRefreshAt, checkedAt)) {
        const { accessToken } = await this.deps.credentials.getCredentials(taskId);
        await this.deps.refresher.refresh(taskId, accessToken);
      }
      await this.deps.sfdc.identity(taskId);
    } catch (err) {
      // The refresher has already marked it, with the reason and a reconnect_needed event.
      if (err instanceof SalesforceReauthRequiredError) return this.settled(taskId, err.message);
      if (!(err instanceof AppError)) throw err;
      const failures = (previous?.failures ?? 0) + 1;
      const health: ConnectionHealth = {
        state: 'degraded',
        reason: describeTransient(err),
        checked_at: checkedAt.toISOString(),
        next_check_at: this.deps.schedule.retry(failures)?.toISOString() ?? null,
        failures,
      };
      const changed = previous?.state !== 'degraded';
      await this.deps.store.record(taskId, health, changed ? { kind: 'health_degraded', detail: { reason: health.reason, code: err.code } } : undefined);
      this.deps.logger.info({ taskId, code: err.code, failures }, 'salesforce health check failed');
      return health;
    }
    const health: ConnectionHealth = { state: 'healthy', reason: null, checked_at: checkedAt.toISOString(), next_check_at: this.deps.schedule.next(job.dueAt)?.toISOString() ?? null, failures: 0 };
    await this.deps.store.record(taskId, health, previous?.state === 'degraded' ? { kind: 'health_recovered', detail: { after_failures: previous.failures ?? 0 } } : undefined);
    this.deps.logger.debug({ taskId }, 'salesforce health check passed');
    return health;
  }

  private keepAliveDue(lastRefreshAt: Date | undefined, now: Date): boolean {
    return !lastRefreshAt || now.getTime() - lastRefreshAt.getTime() >= this.deps.keepAliveRefreshAfterMs;
  }

  private settled(taskId: string, reason: string): ConnectionHealth {
    this.deps.logger.info({ taskId }, 'salesforce health check: reconnect needed');
    return { state: 'reconnect_needed', reason, checked_at: new Date().toISOString(), next_check_at: null, failures: 0 };
  }
}

/** A passing failure in words: the check runs again sooner. */
function describeTransient(err: AppError): string {
  if (err instanceof SalesforceUnavailableError) {
    return err.code === 'salesforce_timeout' ? 'Salesforce did not answer in time. It will be checked again shortly.' : 'Salesforce could not be reached. It will be checked again shortly.';
  }
  if (err instanceof SalesforceApiError) {
    if (err.upstreamCode === 'REQUEST_LIMIT_EXCEEDED') return 'The org has used up its Salesforce API requests for now (its daily limit). Calls work again when the limit resets.';
    if (err.upstreamStatus >= 500) return `Salesforce answered with a server error (HTTP ${err.upstreamStatus}). It will be checked again shortly.`;
    if (err.upstreamCode === 'INVALID_SESSION_ID') return 'Salesforce refused a freshly refreshed access token. It will be checked again shortly.';
    return `Salesforce answered the check with an error (HTTP ${err.upstreamStatus} ${err.upstreamCode}). It will be checked again shortly.`;
  }
  if (err instanceof SalesforceResponseTooLargeError) return 'Salesforce answered the check with more data than expected. It will be checked again shortly.';
  return `The check failed (${err.code}). It will be checked again shortly.`;
}
