import type { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { SalesforceResponseTooLargeError, SalesforceUnavailableError } from './errors';
import { DEFAULT_SALESFORCE_RESPONSE_LIMIT_BYTES, DEFAULT_SALESFORCE_TIMEOUT_MS, type RawResponse } from './http-client';

/**
 * The largest answer the proxy streams: Salesforce's largest file (a 2 GB ContentVersion). Streamed
 * bytes cost no memory, so the cap only stops an answer that would never end.
 */
export const DEFAULT_STREAMED_RESPONSE_LIMIT_BYTES = 2 * 1024 * 1024 * 1024;

export interface InstanceHttpOptions {
  timeoutMs?: number;
  /** What the app reads into memory from one answer it needs whole (identity, a connection test). */
  bufferedLimitBytes?: number;
  streamedLimitBytes?: number;
}

export interface InstanceRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The caller's own abort (a proxy caller that went away). */
  signal?: AbortSignal;
}

/** An answer whose headers have arrived; its body is still on the wire. */
export interface OpenResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
  /** Stops the deadline: from now on only the body's idle timeout applies (a long download is fine). */
  keepStreaming(): void;
  /** The body's own failure (cut short, timed out, too large) as our error: Salesforce unavailable, timed out, too large. */
  failure(err: unknown): Error;
}

/** The exchange outlived the Salesforce deadline. */
class DeadlineExceeded extends Error {
  constructor() {
    super('Salesforce did not answer in time');
  }
}

/**
 * The HTTP client for an org's instance and identity URLs (the hot path): undici's pooled
 * keep-alive connections, no redirects followed (a credential must never follow one), HTTP errors
 * as data, and network failures as SalesforceUnavailableError naming method, host and path only.
 * OAuth calls to the login host keep their own client (see http-client.ts).
 */
export class InstanceHttp {
  readonly timeoutMs: number;
  readonly bufferedLimitBytes: number;
  readonly streamedLimitBytes: number;
  private readonly agent: Agent;

  constructor(options: InstanceHttpOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_SALESFORCE_TIMEOUT_MS;
    this.bufferedLimitBytes = options.bufferedLimitBytes ?? DEFAULT_SALESFORCE_RESPONSE_LIMIT_BYTES;
    this.streamedLimitBytes = options.streamedLimitBytes ?? DEFAULT_STREAMED_RESPONSE_LIMIT_BYTES;
    this.agent = new Agent({
      connections: 64,
      connect: { timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      // Between two chunks of a body: a download may take long, a silent upstream may not.
      bodyTimeout: this.timeoutMs,
      maxResponseSize: this.streamedLimitBytes,
    });
  }

  /**
   * Sends a request and answers once the headers arrive. The whole exchange runs under the
   * deadline (a body trickled a byte at a time must not hold a request, or a refresh, forever)
   * until the caller says `keepStreaming()`: undici's own timeouts until the headers are in, then
   * a timer for what is left of it.
   */
  async open(request: InstanceRequest): Promise<OpenResponse> {
    const started = performance.now();
    let answer: Dispatcher.ResponseData;
    try {
      const { origin, path } = splitUrl(request.url);
      answer = await this.agent.request({
        origin,
        path,
        method: request.method as Dispatcher.HttpMethod,
        headers: request.headers,
        body: request.body,
        signal: request.signal,
      });
    } catch (err) {
      throw failure(err, request, this.streamedLimitBytes);
    }
    const { body } = answer;
    if (Number(answer.headers['content-length'] ?? 0) > this.streamedLimitBytes) {
      body.destroy(); // announced too large: refused before a byte is passed on
      throw new SalesforceResponseTooLargeError(this.streamedLimitBytes);
    }
    const deadline = setTimeout(() => body.destroy(new DeadlineExceeded()), Math.max(0, this.timeoutMs - (performance.now() - started)));
    body.once('close', () => clearTimeout(deadline));
    return {
      status: answer.statusCode,
      headers: flatHeaders(answer.headers),
      body,
      keepStreaming: () => clearTimeout(deadline),
      failure: (err) => failure(err, request, this.streamedLimitBytes),
    };
  }

  /** The whole answer, within the deadline and the in-memory limit. */
  async buffered(request: InstanceRequest): Promise<RawResponse & { headers: Record<string, string> }> {
    const answer = await this.open(request);
    try {
      return { status: answer.status, headers: answer.headers, body: await readAll(answer.body, this.bufferedLimitBytes) };
    } catch (err) {
      throw answer.failure(err);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/**
 * Reads a body into memory, up to `limit` bytes.
 * @throws SalesforceResponseTooLargeError past the limit; SalesforceUnavailableError if the body fails.
 */
export async function readAll(body: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new SalesforceResponseTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
}

/** A failed exchange as the error callers handle: timed out (504), unreachable or cut short (503), too large (502). */
function failure(err: unknown, request: InstanceRequest, streamedLimitBytes: number): Error {
  if (err instanceof SalesforceUnavailableError || err instanceof SalesforceResponseTooLargeError) return err;
  const code = (err as { code?: string } | undefined)?.code;
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return new SalesforceResponseTooLargeError(streamedLimitBytes);
  const timedOut = err instanceof DeadlineExceeded || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
  return new SalesforceUnavailableError(timedOut ? 'timeout' : 'unreachable', { method: request.method, url: request.url }, { cause: cleanError(err) });
}

/** Keeps name, code and message; never the request (its headers carry the token). */
function cleanError(err: unknown): Error {
  const source = (err ?? {}) as { name?: string; code?: string; message?: string };
  const clean = new Error(typeof source.message === 'string' ? source.message : 'request failed');
  clean.name = source.name ?? 'Error';
  (clean as { code?: string }).code = source.code;
  return clean;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') flat[name] = value;
    else if (Array.isArray(value)) flat[name] = value.join(', ');
  }
  return flat;
}

/** `https://host:port/path?query` → its origin and its path with the query (the URL is already normalised). */
function splitUrl(url: string): { origin: string; path: string } {
  const slash = url.indexOf('/', url.indexOf('//') + 2);
  return slash === -1 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}
