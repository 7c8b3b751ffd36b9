/**
 * The bench's browser: fetch with the session cookie the app sets, following no redirect. Just
 * enough to sign up, connect a Task and make an API token before the measured phases.
 */
export class BenchBrowser {
  private sessionCookie = '';

  constructor(private readonly baseUrl: string) {}

  /** The `sid=…` pair, for the phases that call the API as this browser. */
  get cookie(): string {
    return this.sessionCookie;
  }

  get(path: string): Promise<Response> {
    return this.request('GET', path);
  }

  async post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    const res = await this.request('POST', path, body);
    if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (this.sessionCookie) headers.cookie = this.sessionCookie;
    const res = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('sid='));
    if (setCookie) this.sessionCookie = setCookie.split(';')[0];
    return res;
  }
}
