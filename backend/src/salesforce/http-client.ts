import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { SalesforceResponseTooLargeError, SalesforceUnavailableError } from './errors';

export const DEFAULT_SALESFORCE_TIMEOUT_MS = 15_000;
/**
 * An answer the app reads whole (OAuth, identity) costs its size in memory: a bigger one is
 * refused (502 salesforce_response_too_large) rather than exhausting the process.
 */
export const DEFAULT_SALESFORCE_RESPONSE_LIMIT_BYTES = 32 * 1024 * 1024;

/**
 * The HTTP client for Salesforce's OAuth endpoints (REST and identity calls use InstanceHttp): keep-alive connections, a timeout on every call, no
 * redirects (a credential must never follow one), and HTTP errors as data rather than
 * AxiosErrors (which would carry our Authorization header into whatever logs them).
 */
export function createSalesforceHttp(timeoutMs = DEFAULT_SALESFORCE_TIMEOUT_MS, maxResponseBytes = DEFAULT_SALESFORCE_RESPONSE_LIMIT_BYTES): AxiosInstance {
  return axios.create({
    timeout: timeoutMs,
    maxContentLength: maxResponseBytes,
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'arraybuffer',
    transitional: { clarifyTimeoutError: true },
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
    proxy: false,
  });
}

/**
 * Sends one request; a network failure or timeout becomes SalesforceUnavailableError with the
 * method, host and path only (no headers, no body, no query).
 */
export async function sendToSalesforce(client: AxiosInstance, config: AxiosRequestConfig & { url: string; method: string }): Promise<AxiosResponse<Buffer>> {
  // A deadline for the whole exchange: axios's own timeout stops once headers arrive, and a
  // body trickled a byte at a time would otherwise hold the request (and a refresh's lock) forever.
  const deadline = AbortSignal.timeout(client.defaults.timeout || DEFAULT_SALESFORCE_TIMEOUT_MS);
  try {
    return await client.request<Buffer>({ ...config, signal: deadline });
  } catch (err) {
    // axios stops reading past maxContentLength (it checks while the body streams in).
    if (/maxContentLength size of \d+ exceeded/.test((err as Error).message ?? '')) throw new SalesforceResponseTooLargeError(client.defaults.maxContentLength ?? 0);
    const code = (err as { code?: string }).code;
    const kind = code === 'ETIMEDOUT' || code === 'ECONNABORTED' || deadline.aborted ? 'timeout' : 'unreachable';
    throw new SalesforceUnavailableError(kind, { method: config.method, url: config.url }, { cause: stripAxiosError(err) });
  }
}

/** Keeps what helps debugging (name, code, message) and drops the request config with its headers. */
function stripAxiosError(err: unknown): Error {
  const source = err as { name?: string; code?: string; message?: string };
  const clean = new Error(source.message ?? 'request failed');
  clean.name = source.name ?? 'Error';
  (clean as { code?: string }).code = source.code;
  return clean;
}

/** A response reduced to what the app reads: status and raw body bytes. */
export interface RawResponse {
  status: number;
  body: Buffer;
}

/** The body as text (Salesforce bodies are UTF-8). */
export function bodyText(res: RawResponse): string {
  return res.body.toString('utf8');
}

/** The body parsed as JSON, or undefined when it is not JSON. */
export function bodyJson(res: RawResponse): unknown {
  try {
    return JSON.parse(bodyText(res));
  } catch {
    return undefined;
  }
}

export function toRawResponse(res: AxiosResponse<Buffer>): RawResponse & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers ?? {})) if (typeof value === 'string') headers[name.toLowerCase()] = value;
  return { status: res.status, headers, body: Buffer.isBuffer(res.data) ? res.data : Buffer.from(res.data ?? '') };
}
