import type { AxiosInstance, AxiosResponse } from 'axios';
import type { CredentialStore, SalesforceCredentials } from './credential-store';
import { SalesforceApiError, UntrustedSalesforceHostError } from './errors';
import { bodyJson, sendToSalesforce, toRawResponse, type RawResponse } from './http-client';
import { describeSalesforceError, identitySaysTokenExpired, restSaysTokenExpired } from './access-token-expiry';
import type { TokenRefresher } from './token-refresher';
import type { ApiUsageTracker } from './api-usage';
import type { TrustedHosts } from './trusted-hosts';
import { parseIdentityUrl } from './token-response';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'HEAD';

/** A call relative to the Task's instance: `path` like `services/data/v62.0/query`, `query` a raw query string. */
export interface SalesforceCall {
  method: HttpMethod;
  path: string;
  query?: string;
  body?: Buffer | string | object;
  headers?: Record<string, string>;
}

export interface SalesforceResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** True when the access token was refreshed on the way. */
  refreshed: boolean;
}

/**
 * Calls Salesforce for a Task so that no caller ever handles a token: on an expired session
 * (REST 401 INVALID_SESSION_ID, identity 403 Bad_OAuth_Token, and nothing else) it refreshes
 * once and retries the same method with the same body against the new instance_url, once.
 */
export class SfdcService {
  constructor(private readonly deps: { credentials: CredentialStore; refresher: TokenRefresher; http: AxiosInstance; trustedHosts: TrustedHosts; usage?: ApiUsageTracker }) {}

  get(taskId: string, path: string, options: Omit<SalesforceCall, 'method' | 'path'> & { ownerId?: string } = {}) {
    return this.request(taskId, { ...options, method: 'GET', path }, options.ownerId);
  }
  post(taskId: string, path: string, body: SalesforceCall['body'], options: { ownerId?: string } = {}) {
    return this.request(taskId, { method: 'POST', path, body }, options.ownerId);
  }
  patch(taskId: string, path: string, body: SalesforceCall['body'], options: { ownerId?: string } = {}) {
    return this.request(taskId, { method: 'PATCH', path, body }, options.ownerId);
  }
  put(taskId: string, path: string, body: SalesforceCall['body'], options: { ownerId?: string } = {}) {
    return this.request(taskId, { method: 'PUT', path, body }, options.ownerId);
  }
  delete(taskId: string, path: string, options: { ownerId?: string } = {}) {
    return this.request(taskId, { method: 'DELETE', path }, options.ownerId);
  }

  /**
   * A REST call whose Salesforce errors become SalesforceApiError (502 with Salesforce's errorCode).
   * @throws SalesforceApiError, SalesforceUnavailableError, SalesforceReauthRequiredError, SalesforceNotConnectedError
   */
  async request(taskId: string, call: SalesforceCall, ownerId?: string): Promise<SalesforceResponse> {
    const res = await this.send(taskId, call, ownerId);
    if (res.status >= 400) throw this.apiError(res);
    return res;
  }

  /**
   * A REST call that answers Salesforce's own status and body, errors included (the proxy). Only a
   * 401 that survives the refresh is turned into an error: the caller's credentials are ours, not Salesforce's.
   */
  async send(taskId: string, call: SalesforceCall, ownerId?: string): Promise<SalesforceResponse> {
    const res = await this.withRefresh(taskId, ownerId, (session) => this.instanceRequest(session, call), restSaysTokenExpired);
    // A redirect is never followed (it would carry the token) nor handed on (a browser would
    // follow it with the caller's own credentials); 300 (several external-id matches) and 304 are answers.
    if (res.status === 401 || REDIRECTS.has(res.status)) throw this.apiError(res);
    return res;
  }

  /**
   * GETs the Task's identity URL (the connection test). The answer must name the org and user of
   * that URL: anything else is not this connection, however well-formed.
   */
  async identity(taskId: string, ownerId?: string): Promise<{ identity: Record<string, unknown>; refreshed: boolean }> {
    let idUrl = '';
    const res = await this.withRefresh(
      taskId,
      ownerId,
      (session) => {
        idUrl = session.idUrl;
        return this.call(session.idUrl, { method: 'GET', headers: { Accept: 'application/json' } }, session);
      },
      identitySaysTokenExpired,
    );
    const identity = bodyJson(res) as Record<string, unknown> | undefined;
    if (res.status !== 200 || !identity || typeof identity !== 'object') throw this.apiError(res);
    const expected = parseIdentityUrl(idUrl);
    if (!expected || identity.organization_id !== expected.organizationId || identity.user_id !== expected.userId || typeof identity.username !== 'string') {
      throw new SalesforceApiError(200, 'identity_mismatch', 'the identity URL answered for another org or user, or without one');
    }
    return { identity, refreshed: res.refreshed };
  }

  /** GETs an identity URL with a token not stored yet (the callback, before saving the connection). */
  async fetchIdentityWith(idUrl: string, accessToken: string): Promise<Record<string, unknown>> {
    const res = toRawResponse(await this.call(idUrl, { method: 'GET', headers: { Accept: 'application/json' } }, { accessToken }));
    const identity = bodyJson(res);
    if (res.status !== 200 || !identity || typeof identity !== 'object') throw this.apiError(res);
    return identity as Record<string, unknown>;
  }

  private async withRefresh(
    taskId: string,
    ownerId: string | undefined,
    send: (session: SalesforceCredentials) => Promise<AxiosResponse<Buffer>>,
    isExpired: (res: RawResponse) => boolean,
  ): Promise<SalesforceResponse> {
    const session = await this.deps.credentials.getCredentials(taskId, { ownerId });
    const first = await send(session);
    const firstResponse = toRawResponse(first);
    this.deps.usage?.observe(taskId, firstResponse.headers['sforce-limit-info']);
    if (!isExpired(firstResponse)) return { ...firstResponse, refreshed: false };
    const { session: renewed } = await this.deps.refresher.refresh(taskId, session.accessToken);
    const retried = toRawResponse(await send(renewed)); // once: a second expiry is an error, never a loop
    this.deps.usage?.observe(taskId, retried.headers['sforce-limit-info']);
    if (isExpired(retried)) this.deps.refresher.refusedAfterRefresh(taskId);
    return { ...retried, refreshed: true };
  }

  private instanceRequest(session: SalesforceCredentials, call: SalesforceCall): Promise<AxiosResponse<Buffer>> {
    const url = new URL(session.instanceUrl);
    url.pathname = `/${call.path.replace(/^\/+/, '')}`;
    url.search = call.query ?? '';
    const isJson = call.body !== undefined && !Buffer.isBuffer(call.body) && typeof call.body === 'object';
    return this.call(
      url.toString(),
      {
        method: call.method,
        data: isJson ? JSON.stringify(call.body) : call.body,
        headers: { Accept: 'application/json', ...(isJson ? { 'Content-Type': 'application/json' } : {}), ...call.headers },
      },
      session,
    );
  }

  private call(url: string, request: { method: string; data?: unknown; headers: Record<string, string> }, session: Pick<SalesforceCredentials, 'accessToken'>): Promise<AxiosResponse<Buffer>> {
    // Checked on every call: the token goes only to a trusted host, whatever the row says.
    if (!this.deps.trustedHosts.isTrusted(url)) throw new UntrustedSalesforceHostError('The stored Salesforce URL');
    return sendToSalesforce(this.deps.http, { url, method: request.method, data: request.data, headers: { ...request.headers, Authorization: `Bearer ${session.accessToken}` } });
  }

  private apiError(res: RawResponse): SalesforceApiError {
    const { code, message } = describeSalesforceError(res);
    return new SalesforceApiError(res.status, code, message);
  }
}
