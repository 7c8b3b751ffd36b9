import type { Readable } from 'node:stream';
import type { CredentialStore, SalesforceCredentials } from './credential-store';
import { SalesforceApiError, UntrustedSalesforceHostError } from './errors';
import { bodyJson, type RawResponse } from './http-client';
import { readAll, type InstanceHttp, type OpenResponse } from './instance-http';
import { readHead } from './read-head';
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

/** A proxied answer: its first bytes read, the rest (if any) still streaming from Salesforce. */
export interface SalesforceStream {
  status: number;
  headers: Record<string, string>;
  /** True when the access token was refreshed on the way. */
  refreshed: boolean;
  /** The first bytes of the body: all of it when `rest` is undefined. */
  head: Buffer;
  /** The remainder, still on the wire (read it, or destroy it). */
  rest?: Readable;
  /** A failure of `rest` as the error to report (Salesforce unavailable, timed out, too large). */
  failure(err: unknown): Error;
}

/**
 * How much of an answer the proxy reads before it starts passing it on. A smaller answer (most REST
 * calls) is served whole, with its length and with a clear error if it is cut short or trickles past
 * the deadline; a larger one streams, with back-pressure, at no more memory than this.
 */
export const PROXY_HEAD_BYTES = 256 * 1024;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;
/** How much of a 401 is read to tell an expired session from another refusal: Salesforce's error bodies are tiny. */
const EXPIRY_PROBE_BYTES = 16 * 1024;

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
  /** Trusted instance URLs and their origin (see instanceUrlFor). */
  private readonly trustedInstances = new Map<string, string>();

  constructor(private readonly deps: { credentials: CredentialStore; refresher: TokenRefresher; http: InstanceHttp; trustedHosts: TrustedHosts; usage?: ApiUsageTracker }) {}

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
   * A REST call that answers Salesforce's own status and body, errors included, read whole (up to
   * the in-memory limit). Only a 401 that survives the refresh is turned into an error.
   */
  async send(taskId: string, call: SalesforceCall, ownerId?: string): Promise<SalesforceResponse> {
    const answer = await this.stream(taskId, call, { ownerId });
    let body = answer.head;
    if (answer.rest) {
      try {
        body = Buffer.concat([answer.head, await readAll(answer.rest, this.deps.http.bufferedLimitBytes - answer.head.length)]);
      } catch (err) {
        throw answer.failure(err);
      }
    }
    return { status: answer.status, headers: answer.headers, body, refreshed: answer.refreshed };
  }

  /**
   * A REST call for the proxy: on an expired session (401 INVALID_SESSION_ID, recognised from the
   * status and the first bytes of the body) it refreshes once and sends the same method and body
   * again. Answers once the first `PROXY_HEAD_BYTES` are in; the rest streams. A 401 that survives
   * the refresh, and any redirect, become errors: the caller's credentials are ours, not Salesforce's,
   * and a redirect is never followed (it would carry the token) nor handed on (a browser would follow
   * it with the caller's own credentials); 300 (several external-id matches) and 304 are answers.
   * @param signal the caller went away: the call to Salesforce stops too.
   */
  async stream(taskId: string, call: SalesforceCall, options: { ownerId?: string; signal?: AbortSignal } = {}): Promise<SalesforceStream> {
    const session = await this.deps.credentials.getCredentials(taskId, { ownerId: options.ownerId });
    let answer = await this.instanceRequest(taskId, session, call, options.signal);
    let refreshed = false;
    if (answer.status === 401) {
      const probe = await this.readHead(answer, EXPIRY_PROBE_BYTES);
      probe.rest?.destroy();
      if (!restSaysTokenExpired({ status: 401, body: probe.head })) throw this.apiError({ status: 401, body: probe.head });
      const { session: renewed } = await this.deps.refresher.refresh(taskId, session.accessToken);
      answer = await this.instanceRequest(taskId, renewed, call, options.signal); // once: a second expiry is an error, never a loop
      refreshed = true;
    }
    if (answer.status === 401 || REDIRECTS.has(answer.status)) {
      const { head, rest } = await this.readHead(answer, EXPIRY_PROBE_BYTES);
      rest?.destroy();
      if (refreshed && restSaysTokenExpired({ status: answer.status, body: head })) this.deps.refresher.refusedAfterRefresh(taskId);
      throw this.apiError({ status: answer.status, body: head });
    }
    const { head, rest } = await this.readHead(answer, PROXY_HEAD_BYTES);
    if (rest) answer.keepStreaming();
    return { status: answer.status, headers: answer.headers, refreshed, head, rest, failure: answer.failure };
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
        return this.bufferedCall(session.idUrl, { method: 'GET', headers: { Accept: 'application/json' } }, session);
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
    const res = await this.bufferedCall(idUrl, { method: 'GET', headers: { Accept: 'application/json' } }, { accessToken });
    const identity = bodyJson(res);
    if (res.status !== 200 || !identity || typeof identity !== 'object') throw this.apiError(res);
    return identity as Record<string, unknown>;
  }

  /** A buffered call with one refresh on expiry (the identity URL: expiry is its 403 Bad_OAuth_Token). */
  private async withRefresh(
    taskId: string,
    ownerId: string | undefined,
    send: (session: SalesforceCredentials) => Promise<RawResponse & { headers: Record<string, string> }>,
    isExpired: (res: RawResponse) => boolean,
  ): Promise<SalesforceResponse> {
    const session = await this.deps.credentials.getCredentials(taskId, { ownerId });
    const first = await send(session);
    if (!isExpired(first)) return { ...first, refreshed: false };
    const { session: renewed } = await this.deps.refresher.refresh(taskId, session.accessToken);
    const retried = await send(renewed); // once: a second expiry is an error, never a loop
    if (isExpired(retried)) this.deps.refresher.refusedAfterRefresh(taskId);
    return { ...retried, refreshed: true };
  }

  private async instanceRequest(taskId: string, session: SalesforceCredentials, call: SalesforceCall, signal?: AbortSignal): Promise<OpenResponse> {
    const url = this.instanceUrlFor(session.instanceUrl, call);
    const isJson = call.body !== undefined && !Buffer.isBuffer(call.body) && typeof call.body === 'object';
    const body = call.body === undefined ? undefined : Buffer.isBuffer(call.body) ? call.body : Buffer.from(isJson ? JSON.stringify(call.body) : String(call.body));
    const headers: Record<string, string> = { accept: 'application/json', ...(isJson ? { 'content-type': 'application/json' } : {}), ...call.headers };
    headers.authorization = `Bearer ${session.accessToken}`;
    const answer = await this.deps.http.open({ url, method: call.method, headers, body, signal });
    this.deps.usage?.observe(taskId, answer.headers['sforce-limit-info']);
    return answer;
  }

  /**
   * The URL of a call on the Task's instance, once that instance is known to be trusted. The
   * verdict depends on the instance's scheme, host and port only, so it is kept per instance URL
   * (the hot path builds the rest as a string; anything but printable ASCII goes through URL's encoding).
   */
  private instanceUrlFor(instanceUrl: string, call: SalesforceCall): string {
    let base = this.trustedInstances.get(instanceUrl);
    if (base === undefined) {
      const parsed = new URL(instanceUrl);
      this.assertTrusted(parsed);
      base = parsed.origin;
      if (this.trustedInstances.size >= 10_000) this.trustedInstances.clear();
      this.trustedInstances.set(instanceUrl, base);
    }
    const query = !call.query || call.query.startsWith('?') ? (call.query ?? '') : `?${call.query}`;
    const url = `${base}/${call.path.replace(/^\/+/, '')}${query}`;
    return PRINTABLE_ASCII.test(url) ? url : new URL(url).href;
  }

  private async bufferedCall(url: string, request: { method: string; headers: Record<string, string> }, session: Pick<SalesforceCredentials, 'accessToken'>) {
    this.assertTrusted(url);
    return this.deps.http.buffered({ url, method: request.method, headers: { ...request.headers, authorization: `Bearer ${session.accessToken}` } });
  }

  /** Checked on every call: the token goes only to a trusted host, whatever the row says. */
  private assertTrusted(url: string | URL): void {
    if (!this.deps.trustedHosts.isTrusted(url)) throw new UntrustedSalesforceHostError('The stored Salesforce URL');
  }

  private async readHead(answer: OpenResponse, limit: number): Promise<{ head: Buffer; rest?: Readable }> {
    try {
      return await readHead(answer.body, limit);
    } catch (err) {
      throw answer.failure(err);
    }
  }

  private apiError(res: RawResponse): SalesforceApiError {
    const { code, message } = describeSalesforceError(res);
    return new SalesforceApiError(res.status, code, message);
  }
}
