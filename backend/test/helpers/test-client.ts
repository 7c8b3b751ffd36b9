/** A response as tests read it: status, headers and the parsed body. */
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  text: string;
  json: T;
}

export interface RequestOptions {
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is (for malformed bodies); set the content type in `headers`. */
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/**
 * A tiny HTTP client over fetch with a cookie jar, so a test reads like a browser or a service
 * talking to the real server.
 */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  /** Another client for the same server that sends `Authorization: Bearer <token>` and no cookies. */
  withToken(token: string): TestClient {
    return new TestClient(this.baseUrl, { authorization: `Bearer ${token}` });
  }

  get = (path: string, options?: RequestOptions) => this.request('GET', path, options);
  post = (path: string, json?: unknown, options?: RequestOptions) => this.request('POST', path, { json, ...options });
  patch = (path: string, json?: unknown, options?: RequestOptions) => this.request('PATCH', path, { json, ...options });
  delete = (path: string, options?: RequestOptions) => this.request('DELETE', path, options);

  /**
   * A GET whose body the test reads itself (a large download, a stream to stop half-way): fetch's
   * own Response, with this client's cookies or token.
   */
  open(path: string, options: { signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...this.defaultHeaders };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return fetch(this.baseUrl + path, { headers, redirect: 'manual', signal: options.signal });
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse<T>> {
    const headers: Record<string, string> = { ...this.defaultHeaders, ...options.headers };
    let body = options.body;
    if (options.json !== undefined && body === undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }
}
