import type { Config } from '../config';
import { toSalesforceConnection, type ConnectionTestResult, type LastConnectionTest, type SalesforceEnvironment, type SalesforceIdentity } from '../contract';
import type { Logger } from '../platform/logger';
import { AppError } from '../platform/errors';
import type { TaskService } from '../tasks/task-service';
import type { CredentialStore } from './credential-store';
import type { ApiUsageTracker } from './api-usage';
import type { LoginHosts } from './login-hosts';
import { newCodeVerifier, type OAuthStateStore, type PendingConnection } from './oauth-state-store';
import { describeEviction, describeJwtRefusal } from './reconnect-reasons';
import { SalesforceApiError } from './errors';
import { OAuthGrantError, type SalesforceOAuth } from './oauth-client';
import type { SfdcService } from './sfdc-service';
import { parseIdentityUrl, type TokenResponse } from './token-response';

/** Salesforce keeps this many approvals (refresh tokens) per user per connected app; a newer one revokes the oldest. */
export const APPROVALS_PER_USER = 5;

/** Revocations in flight at once when an account goes: quick for a few connections, gentle on Salesforce for thousands. */
const REVOKE_CONCURRENCY = 8;

interface Deps {
  settings: Config['salesforce'];
  tasks: TaskService;
  credentials: CredentialStore;
  states: OAuthStateStore;
  oauth: SalesforceOAuth;
  sfdc: SfdcService;
  loginHosts: LoginHosts;
  logger: Logger;
  apiUsage?: ApiUsageTracker;
}

/** Connecting a Task (authorize, callback), testing its connection, and disconnecting it (revoking the refresh token). */
export class SalesforceConnector {
  constructor(private readonly deps: Deps) {}

  /** The Salesforce authorize URL for this Task, with a fresh one-time state and PKCE challenge. */
  async authorize(userId: string, taskId: string, environment: SalesforceEnvironment, domain?: string): Promise<string> {
    await this.deps.tasks.getOwned(userId, taskId);
    const loginUrl = this.deps.loginHosts.resolve(environment, domain);
    const { state, codeChallenge } = await this.deps.states.create({ userId, taskId, environment, loginUrl, codeVerifier: newCodeVerifier() });
    return this.deps.oauth.authorizeUrl(loginUrl, { state, codeChallenge });
  }

  /**
   * Finishes the flow and answers where to send the browser: state first, then the error
   * callback, then the code exchange at the host that was authorized, the checks, the identity.
   */
  async completeCallback(user: Express.User | undefined, query: Record<string, unknown>): Promise<string> {
    const state = typeof query.state === 'string' ? query.state : '';
    const pending = user && state ? await this.deps.states.consume(state, user.id) : undefined;
    if (!pending) return '/tasks?sfdc=error&code=invalid_state';
    const back = (outcome: string) => `/tasks/${pending.taskId}?sfdc=${outcome}`;

    if (typeof query.error === 'string') return back(`error&code=${safeCode(query.error)}`);
    if (typeof query.code !== 'string' || !query.code) return back('error&code=missing_code');
    try {
      const token = await this.deps.oauth.exchangeCode(pending.loginUrl, query.code, pending.codeVerifier);
      const identity = await this.fetchIdentity(token);
      const previous = await this.deps.credentials.readStored(pending.taskId, { ownerId: pending.userId });
      await this.deps.credentials.saveConnection(pending.taskId, token, { identity, loginUrl: pending.loginUrl, environment: pending.environment });
      if (previous) await this.revokeQuietly(previous.login_url, this.deps.credentials.decryptRefreshToken(pending.taskId, previous)); // reconnecting replaces the old grant
      // The connection is saved: marking the evicted ones is worth a log line if it fails, not a failed connect.
      const evicted = await this.markEvicted(pending, identity).catch((err: unknown) => {
        this.deps.logger.error({ err, taskId: pending.taskId }, 'marking evicted salesforce connections failed');
        return '';
      });
      return back(`connected${evicted}`);
    } catch (err) {
      this.deps.logger.warn({ taskId: pending.taskId, err }, 'salesforce connection failed');
      return back(`error&code=${safeCode(callbackErrorCode(err))}`);
    }
  }

  /**
   * Connects the Task as an integration user (OAuth 2.0 JWT bearer): no person clicks Allow and no
   * refresh token exists; on expiry a new assertion is minted. Same login-host rules as authorize.
   * @throws JwtBearerNotConfiguredError, SalesforceJwtRefusedError, UntrustedSalesforceHostError
   */
  async connectJwt(userId: string, taskId: string, input: { environment: SalesforceEnvironment; domain?: string; username: string }): Promise<void> {
    await this.deps.tasks.getOwned(userId, taskId);
    if (!this.deps.settings.jwtPrivateKey) throw new JwtBearerNotConfiguredError();
    const loginUrl = this.deps.loginHosts.resolve(input.environment, input.domain);
    let token: TokenResponse;
    try {
      token = await this.deps.oauth.jwtBearer(loginUrl, input.username);
    } catch (err) {
      if (err instanceof OAuthGrantError) throw new SalesforceJwtRefusedError(err);
      throw err;
    }
    const identity = await this.fetchIdentity(token);
    const previous = await this.deps.credentials.readStored(taskId, { ownerId: userId });
    await this.deps.credentials.saveConnection(taskId, token, { identity, loginUrl, environment: input.environment, jwtUsername: input.username });
    if (previous) await this.revokeQuietly(previous.login_url, this.deps.credentials.decryptRefreshToken(taskId, previous));
  }

  /**
   * Salesforce keeps five approvals per user per connected app: approving this one revoked the
   * oldest beyond five, at Salesforce, at once. Mark those Tasks now rather than when someone
   * next calls them, and tell the person who connected (only their own Tasks by id; another
   * user's merely counted, never named). Answers the redirect's extra query.
   */
  private async markEvicted(pending: PendingConnection, identity: Record<string, unknown>): Promise<string> {
    const newer = await this.deps.tasks.getOwned(pending.userId, pending.taskId);
    const evicted = await this.deps.credentials.markEvicted(
      { taskId: pending.taskId, organizationId: String(identity.organization_id), userId: String(identity.user_id) },
      APPROVALS_PER_USER,
      ({ ownerId }) => describeEviction(ownerId === pending.userId ? newer : undefined, APPROVALS_PER_USER),
    );
    if (!evicted.length) return '';
    this.deps.logger.info({ taskId: pending.taskId, evicted: evicted.length }, 'salesforce revoked older connections of the same user (five per user per app)');
    const own = evicted.filter((e) => e.ownerId === pending.userId).map((e) => e.taskId);
    const others = evicted.length - own.length;
    return `${own.length ? `&evicted=${own.join(',')}` : ''}${others ? `&evicted_others=${others}` : ''}`;
  }

  /**
   * GETs the identity URL through SfdcService (refreshing when expired); never throws for Salesforce
   * trouble. Answers the connection as it is afterwards too, read back from the row: the test may
   * have refreshed the token or marked the connection reconnect-needed, and the caller should not
   * have to rebuild that.
   */
  async test(userId: string, taskId: string): Promise<ConnectionTestResult> {
    const task = await this.deps.tasks.getOwned(userId, taskId);
    const at = new Date().toISOString();
    if (!task.sfdc) return { status: false, message: 'This Task is not connected to Salesforce', code: 'salesforce_not_connected', refreshed: false, at, tested_at: at, sfdc: null };
    let lastTest: LastConnectionTest;
    let identity: SalesforceIdentity | undefined;
    try {
      const answer = await this.deps.sfdc.identity(taskId, userId);
      identity = summarizeIdentity(answer.identity);
      lastTest = { status: true, message: `Connected to Salesforce as ${identity.username}`, code: null, refreshed: answer.refreshed, at };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      lastTest = { status: false, message: err.message, code: err.code, refreshed: false, at };
    }
    await this.deps.credentials.saveLastTest(taskId, lastTest);
    await this.deps.credentials.recordEvent(taskId, 'tested', {
      status: lastTest.status,
      refreshed: lastTest.refreshed,
      ...(lastTest.code ? { code: lastTest.code, message: lastTest.message.slice(0, 300) } : {}),
    });
    const sfdc = toSalesforceConnection(await this.deps.credentials.readStored(taskId), this.deps.apiUsage?.current(taskId));
    return { ...lastTest, tested_at: at, ...(identity ? { identity } : {}), sfdc };
  }

  /** Revokes the refresh token at Salesforce (best effort: an unreachable Salesforce must not keep a user connected), then clears. */
  async disconnect(userId: string, taskId: string): Promise<void> {
    await this.deps.tasks.getOwned(userId, taskId);
    const stored = await this.deps.credentials.clear(taskId, userId);
    if (!stored) return;
    // A JWT bearer connection has no refresh token: its access token is what is revoked.
    const revoked = await this.revokeQuietly(stored.login_url, this.deps.credentials.decryptRefreshToken(taskId, stored) ?? this.deps.credentials.decryptAccessToken(taskId, stored));
    await this.deps.credentials.noteRevocation(taskId, revoked);
  }

  /**
   * Revokes every connection of the user at Salesforce, before the account is deleted: best
   * effort (a failure is logged), a few at a time, and without touching the rows or recording
   * events, since they are about to go. Evicted and reconnect-needed connections are revoked too:
   * an already dead token counts as revoked.
   */
  async revokeAllOf(userId: string): Promise<{ connections: number; revoked: number }> {
    const connections = await this.deps.credentials.listStoredOf(userId);
    let revoked = 0;
    for (let i = 0; i < connections.length; i += REVOKE_CONCURRENCY) {
      const batch = connections.slice(i, i + REVOKE_CONCURRENCY);
      const outcomes = await Promise.all(
        batch.map(({ taskId, stored }) => this.revokeQuietly(stored.login_url, this.deps.credentials.decryptRefreshToken(taskId, stored) ?? this.deps.credentials.decryptAccessToken(taskId, stored))),
      );
      revoked += outcomes.filter(Boolean).length;
    }
    if (connections.length) this.deps.logger.info({ userId, connections: connections.length, revoked }, 'salesforce connections revoked for account deletion');
    return { connections: connections.length, revoked };
  }

  private async fetchIdentity(token: TokenResponse): Promise<Record<string, unknown>> {
    const expected = parseIdentityUrl(token.id)!;
    const identity = await this.deps.sfdc.fetchIdentityWith(token.id, token.access_token);
    if (identity.organization_id !== expected.organizationId || identity.user_id !== expected.userId) {
      throw new OAuthGrantError(200, 'identity_mismatch', 'the identity does not match the token');
    }
    return identity;
  }

  private async revokeQuietly(loginUrl: unknown, refreshToken: string | undefined): Promise<boolean> {
    if (typeof loginUrl !== 'string' || !refreshToken) return false;
    try {
      await this.deps.oauth.revoke(loginUrl, refreshToken);
      return true;
    } catch (err) {
      this.deps.logger.warn({ err }, 'revoking the salesforce refresh token failed');
      return false;
    }
  }
}

function summarizeIdentity(identity: Record<string, unknown>): SalesforceIdentity {
  const text = (key: string) => (typeof identity[key] === 'string' ? (identity[key] as string) : '');
  return { username: text('username'), display_name: text('display_name'), organization_id: text('organization_id'), user_id: text('user_id') };
}

/** The most telling code for a failed connection: Salesforce's own when it gave one. */
function callbackErrorCode(err: unknown): string {
  if (err instanceof OAuthGrantError) return err.error;
  if (err instanceof SalesforceApiError) return err.upstreamCode;
  if (err instanceof AppError) return err.code;
  return 'connection_failed';
}

/** An error code safe to put in our redirect URL: Salesforce's codes are snake_case words. */
function safeCode(code: string): string {
  return /^[a-z0-9_]{1,64}$/i.test(code) ? code.toLowerCase() : 'authorization_failed';
}

export class JwtBearerNotConfiguredError extends AppError {
  readonly status = 409;
  readonly code = 'jwt_bearer_not_configured';
  constructor() {
    super('Connecting as an integration user needs a private key: set SFDC_JWT_PRIVATE_KEY (or SFDC_JWT_PRIVATE_KEY_FILE)');
  }
}

/** Salesforce refused the integration user's assertion: in words, with what an admin can do. */
export class SalesforceJwtRefusedError extends AppError {
  readonly status = 400;
  readonly code = 'salesforce_jwt_refused';
  constructor(err: OAuthGrantError) {
    super(describeJwtRefusal(err), { details: { salesforce_error: err.error, salesforce_description: err.description } });
  }
}
