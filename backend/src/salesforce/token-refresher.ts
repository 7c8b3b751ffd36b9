import { randomUUID } from 'node:crypto';
import type { Logger } from '../platform/logger';
import type { CredentialStore, SalesforceCredentials } from './credential-store';
import { ServiceUnavailableError } from '../platform/errors';
import { SalesforceApiError, SalesforceNotConnectedError, SalesforceReauthRequiredError } from './errors';
import { OAuthGrantError, type SalesforceOAuth } from './oauth-client';
import { describeJwtRefusal, describeRefusal } from './reconnect-reasons';
import { parseIdentityUrl, type TokenResponse } from './token-response';

/** Retries of "token request is already being processed" (someone else's refresh of the same token). */
const BUSY_RETRY_DELAYS_MS = [200, 400, 800, 1600];
/** How often a caller re-reads the row while another instance holds the Task's refresh lease. */
const LEASE_POLL_MS = 150;
/**
 * After Salesforce refuses a token that was just refreshed (INVALID_SESSION_ID right after a
 * refresh: a misconfigured org, a blocked session), this process does not refresh that Task
 * again for this long: otherwise every call would cost a refresh.
 */
export const REFRESH_COOLDOWN_MS = 60_000;

/**
 * What one call to the token endpoint came to: a new access token from a refresh token
 * (`refreshed`) or from a new JWT assertion (`jwt_minted`); Salesforce refusing for good, so the
 * user must reconnect (`refused`); or a passing failure (network, 5xx, a bad answer: `failed`).
 */
export const REFRESH_OUTCOMES = ['refreshed', 'jwt_minted', 'refused', 'failed'] as const;
export type RefreshOutcome = (typeof REFRESH_OUTCOMES)[number];

export interface RefreshResult {
  session: SalesforceCredentials;
  /** False when another caller had already replaced the rejected token. */
  refreshed: boolean;
}

export interface TokenRefresherDeps {
  credentials: CredentialStore;
  oauth: SalesforceOAuth;
  logger: Logger;
  /** How long one refresh may hold the Task's lease: longer than one call to the token endpoint can take. */
  leaseMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Told the outcome of every call to the token endpoint (the metrics count them). */
  onOutcome?: (outcome: RefreshOutcome) => void;
}

/**
 * Refreshes a Task's access token once per expiry, however many callers and processes notice it,
 * without holding a database connection while Salesforce answers:
 * - callers in this process share one promise per Task;
 * - processes take turns through a lease on the Task's row (`refresh_lease_owner`,
 *   `refresh_lease_until`), taken in a short transaction that also re-reads the row and skips the
 *   refresh when the rejected token has already been replaced;
 * - the token endpoint is called with no transaction open; the result is stored (in a second short
 *   transaction) only if the lease is still ours.
 * A refresh token is never sent twice: the lease outlives the longest call, a network error is not
 * retried, and only "token request is already being processed" is retried, after a re-read.
 */
export class TokenRefresher {
  private readonly inFlight = new Map<string, Promise<RefreshResult>>();
  private readonly cooldownUntil = new Map<string, number>();

  constructor(private readonly deps: TokenRefresherDeps) {}

  async refresh(taskId: string, rejectedAccessToken: string): Promise<RefreshResult> {
    const running = this.inFlight.get(taskId);
    if (running) {
      const result = await running;
      // That refresh produced the token that was just rejected (rare): refresh again.
      if (result.session.accessToken !== rejectedAccessToken) return { session: result.session, refreshed: false };
    }
    const job = this.refreshAcrossProcesses(taskId, rejectedAccessToken).finally(() => {
      if (this.inFlight.get(taskId) === job) this.inFlight.delete(taskId);
    });
    this.inFlight.set(taskId, job);
    return job;
  }

  /** Salesforce refused the token a refresh just produced: pause refreshing this Task (see REFRESH_COOLDOWN_MS). */
  refusedAfterRefresh(taskId: string): void {
    this.cooldownUntil.set(taskId, Date.now() + REFRESH_COOLDOWN_MS);
    this.deps.logger.warn({ taskId }, 'salesforce refused a freshly refreshed access token; refreshing this task is paused');
  }

  /** The error to answer instead of refreshing while the Task cools down; undefined when it may refresh. */
  private coolingDown(taskId: string): SalesforceApiError | undefined {
    const until = this.cooldownUntil.get(taskId);
    if (until === undefined) return undefined;
    if (until <= Date.now()) return void this.cooldownUntil.delete(taskId);
    return new SalesforceApiError(401, 'INVALID_SESSION_ID', `Salesforce refused a freshly refreshed access token; refreshing again is paused for ${Math.ceil((until - Date.now()) / 1000)} s`);
  }

  private async refreshAcrossProcesses(taskId: string, rejectedAccessToken: string): Promise<RefreshResult> {
    const owner = randomUUID();
    // Another instance's lease ends by itself within leaseMs (even if that instance died mid-refresh).
    const waitUntil = Date.now() + this.deps.leaseMs + LEASE_POLL_MS * 4;
    for (let busyAttempt = 0; ;) {
      const claim = await this.deps.credentials.claimRefresh(taskId, rejectedAccessToken, { owner, ms: this.deps.leaseMs });
      if (claim.kind === 'not_connected') throw new SalesforceNotConnectedError();
      if (claim.kind === 'reconnect_needed') throw new SalesforceReauthRequiredError(claim.reason);
      if (claim.kind === 'replaced') return { session: claim.session, refreshed: false };
      if (claim.kind === 'busy') {
        if (Date.now() > waitUntil) throw new ServiceUnavailableError('salesforce_unavailable', 'Another instance is still refreshing this Task’s Salesforce access token; try again shortly');
        await this.sleep(jitter(LEASE_POLL_MS));
        continue;
      }

      const { session } = claim;
      const paused = this.coolingDown(taskId);
      if (paused) {
        await this.deps.credentials.endRefresh(taskId, owner);
        throw paused;
      }
      let token: TokenResponse;
      try {
        // An integration user (JWT bearer) has no refresh token: a new assertion takes its place.
        token = session.jwtUsername ? await this.deps.oauth.jwtBearer(session.loginUrl, session.jwtUsername) : await this.deps.oauth.refresh(session.loginUrl, session.refreshToken!);
        assertSameIdentity(session, token);
      } catch (err) {
        if (err instanceof OAuthGrantError && err.isAlreadyProcessing && busyAttempt < BUSY_RETRY_DELAYS_MS.length) {
          await this.deps.credentials.endRefresh(taskId, owner);
          await this.sleep(jitter(BUSY_RETRY_DELAYS_MS[busyAttempt++]));
          continue; // re-read: the other refresh may have stored its result meanwhile
        }
        if (err instanceof OAuthGrantError && err.isPermanent) {
          const reason = session.jwtUsername ? describeJwtRefusal(err) : describeRefusal(err);
          this.deps.onOutcome?.('refused');
          await this.deps.credentials.endRefresh(taskId, owner, { reconnectNeeded: { reason, code: err.error, description: err.description } });
          this.deps.logger.warn({ taskId, error: err.error }, 'salesforce refresh token is dead: reconnect needed');
          throw new SalesforceReauthRequiredError(reason);
        }
        this.deps.onOutcome?.('failed');
        await this.deps.credentials.endRefresh(taskId, owner).catch(() => undefined);
        await this.recordFailure(taskId, err);
        throw err instanceof OAuthGrantError ? new SalesforceApiError(err.httpStatus, err.error, err.description) : err;
      }

      this.deps.onOutcome?.(session.jwtUsername ? 'jwt_minted' : 'refreshed');
      const detail = { instance_url_changed: token.instance_url !== session.instanceUrl, rotated: Boolean(token.refresh_token) };
      const stored = await this.deps.credentials.completeRefresh(taskId, owner, token, detail);
      if (stored) this.deps.logger.info({ taskId, rotated: detail.rotated }, 'salesforce access token refreshed');
      else this.deps.logger.warn({ taskId }, 'salesforce refresh outlived its lease: the new token serves this call only');
      return { refreshed: true, session: { ...session, accessToken: token.access_token, refreshToken: token.refresh_token ?? session.refreshToken, instanceUrl: token.instance_url, idUrl: token.id } };
    }
  }

  private async recordFailure(taskId: string, error: unknown): Promise<void> {
    const { code, message } = error as { code?: string; message?: string; error?: string };
    const detail = { code: (error as OAuthGrantError).error ?? code ?? 'refresh_failed', message: String(message ?? 'refresh failed').slice(0, 300) };
    this.deps.logger.warn({ taskId, code: detail.code }, 'salesforce refresh failed');
    await this.deps.credentials.recordEvent(taskId, 'refresh_failed', detail).catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return this.deps.sleep ? this.deps.sleep(ms) : new Promise((resolve) => setTimeout(resolve, ms));
  }
}

/** A refresh must answer for the same org and user; anything else is not this connection. */
function assertSameIdentity(session: SalesforceCredentials, token: TokenResponse): void {
  const before = parseIdentityUrl(session.idUrl);
  const after = parseIdentityUrl(token.id);
  if (!before || !after || before.organizationId !== after.organizationId || before.userId !== after.userId) {
    throw new SalesforceApiError(200, 'invalid_token_response', 'the refreshed token belongs to another org or user');
  }
}

function jitter(ms: number): number {
  return Math.round(ms * (0.75 + Math.random() * 0.5));
}
