import type { DataSource } from 'typeorm';
import type { Logger } from '../platform/logger';
import type { SalesforceConnectionStore, SalesforceSession } from './connection-store';
import { SalesforceApiError, SalesforceNotConnectedError, SalesforceReauthRequiredError } from './salesforce-errors';
import { OAuthGrantError, type SalesforceOAuth } from './salesforce-oauth';
import { parseIdentityUrl, type TokenResponse } from './token-response';

/** Retries of "token request is already being processed" (someone else's refresh of the same token). */
const BUSY_RETRY_DELAYS_MS = [200, 400, 800, 1600];

type Outcome = { kind: 'session'; session: SalesforceSession; refreshed: boolean } | { kind: 'reauth'; reason: string } | { kind: 'failed'; error: unknown };

export interface RefreshResult {
  session: SalesforceSession;
  /** False when another caller had already replaced the rejected token. */
  refreshed: boolean;
}

/**
 * Refreshes a Task's access token, once per expiry however many callers notice it (DESIGN §8.5):
 * callers in this process share one promise per Task; processes take turns on a PostgreSQL
 * advisory lock, and inside it re-read the row and skip the refresh when the rejected token has
 * already been replaced. The new tokens are written in the same transaction.
 */
export class TokenRefresher {
  private readonly inFlight = new Map<string, Promise<RefreshResult>>();

  constructor(private readonly deps: { dataSource: DataSource; connections: SalesforceConnectionStore; oauth: SalesforceOAuth; logger: Logger; sleep?: (ms: number) => Promise<void> }) {}

  async refresh(taskId: string, rejectedAccessToken: string): Promise<RefreshResult> {
    const running = this.inFlight.get(taskId);
    if (running) {
      const result = await running;
      // That refresh produced the token that was just rejected (rare): refresh again.
      if (result.session.accessToken !== rejectedAccessToken) return { session: result.session, refreshed: false };
    }
    const job = this.refreshUnderLock(taskId, rejectedAccessToken).finally(() => {
      if (this.inFlight.get(taskId) === job) this.inFlight.delete(taskId);
    });
    this.inFlight.set(taskId, job);
    return job;
  }

  private async refreshUnderLock(taskId: string, rejectedAccessToken: string): Promise<RefreshResult> {
    const outcome: Outcome = await this.deps.dataSource.transaction(async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtext('sfdc-refresh:' || $1))`, [taskId]);
      for (let attempt = 0; ; attempt++) {
        const stored = await this.deps.connections.readStored(taskId, { db });
        if (!stored) return { kind: 'failed', error: new SalesforceNotConnectedError() } as Outcome;
        if (stored.status === 'reconnect_needed') return { kind: 'reauth', reason: String(stored.status_reason) } as Outcome;
        const session = this.deps.connections.toSession(taskId, stored);
        if (session.accessToken !== rejectedAccessToken) return { kind: 'session', session, refreshed: false } as Outcome;
        if (!session.refreshToken) {
          await this.deps.connections.markReconnectNeeded(db, taskId, 'the connection has no refresh token');
          return { kind: 'reauth', reason: 'the connection has no refresh token' } as Outcome;
        }
        try {
          const token = await this.deps.oauth.refresh(session.loginUrl, session.refreshToken);
          assertSameIdentity(session, token);
          await this.deps.connections.saveRefresh(db, taskId, token);
          await this.deps.connections.recordEvent(taskId, 'refreshed', { instance_url_changed: token.instance_url !== session.instanceUrl, rotated: Boolean(token.refresh_token) }, db);
          this.deps.logger.info({ taskId, rotated: Boolean(token.refresh_token) }, 'salesforce access token refreshed');
          return { kind: 'session', refreshed: true, session: { ...session, accessToken: token.access_token, refreshToken: token.refresh_token ?? session.refreshToken, instanceUrl: token.instance_url, idUrl: token.id } } as Outcome;
        } catch (err) {
          if (err instanceof OAuthGrantError && err.isAlreadyProcessing && attempt < BUSY_RETRY_DELAYS_MS.length) {
            await this.sleep(jitter(BUSY_RETRY_DELAYS_MS[attempt]));
            continue; // re-read: the other refresh may have stored its result meanwhile
          }
          if (err instanceof OAuthGrantError && err.isPermanent) {
            const reason = `Salesforce refused the refresh token (${err.error}: ${err.description})`;
            await this.deps.connections.markReconnectNeeded(db, taskId, reason);
            this.deps.logger.warn({ taskId, error: err.error }, 'salesforce refresh token is dead: reconnect needed');
            return { kind: 'reauth', reason } as Outcome;
          }
          return { kind: 'failed', error: err } as Outcome;
        }
      }
    });

    if (outcome.kind === 'session') return { session: outcome.session, refreshed: outcome.refreshed };
    if (outcome.kind === 'reauth') throw new SalesforceReauthRequiredError(outcome.reason);
    if (!(outcome.error instanceof SalesforceNotConnectedError)) await this.recordFailure(taskId, outcome.error);
    throw outcome.error instanceof OAuthGrantError ? new SalesforceApiError(outcome.error.httpStatus, outcome.error.error, outcome.error.description) : outcome.error;
  }

  private async recordFailure(taskId: string, error: unknown): Promise<void> {
    const { code, message } = error as { code?: string; message?: string; error?: string };
    const detail = { code: (error as OAuthGrantError).error ?? code ?? 'refresh_failed', message: String(message ?? 'refresh failed').slice(0, 300) };
    this.deps.logger.warn({ taskId, code: detail.code }, 'salesforce refresh failed');
    await this.deps.connections.recordEvent(taskId, 'refresh_failed', detail).catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return this.deps.sleep ? this.deps.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** A refresh must answer for the same org and user; anything else is not this connection. */
function assertSameIdentity(session: SalesforceSession, token: TokenResponse): void {
  const before = parseIdentityUrl(session.idUrl);
  const after = parseIdentityUrl(token.id);
  if (!before || !after || before.organizationId !== after.organizationId || before.userId !== after.userId) {
    throw new SalesforceApiError(200, 'invalid_token_response', 'the refreshed token belongs to another org or user');
  }
}

function jitter(ms: number): number {
  return Math.round(ms * (0.75 + Math.random() * 0.5));
}
