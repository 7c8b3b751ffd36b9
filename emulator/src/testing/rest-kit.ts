import { randomBytes } from 'node:crypto';
import type { HostKey } from '../seed';
import { startEmulator, type Emulator } from '../server';

/** The REST tests' helpers: an emulator, tokens put straight into its state, and plain fetch calls. */

export const SALESFORCE_JSON = 'application/json;charset=UTF-8';
export const NOT_FOUND = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];

export interface RestCallOptions {
  method?: string;
  host?: HostKey;
  body?: unknown;
  rawBody?: string;
  contentType?: string;
}

export interface RestCallResult {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test asserts on the shape it expects
  json: any;
}

export function startRestEmulator(): Promise<Emulator> {
  return startEmulator({ port: 0, clientId: 'test-client', clientSecret: 'test-secret', redirectUris: ['http://127.0.0.1:1/cb'] });
}

/** A live access token for the org's first user, as the token endpoint would issue it. */
export function grantToken(emulator: Emulator, orgKey: 'production' | 'sandbox' = 'production', expiresInMs = 3_600_000): string {
  const org = emulator.state.orgByKey(orgKey)!;
  const token = `${org.id.slice(0, 15)}!ARtest${randomBytes(8).toString('hex')}`;
  const now = Date.now();
  emulator.state.accessTokens.set(token, {
    familyId: null,
    clientId: 'test-client',
    orgId: org.id,
    userId: org.users[0].id,
    scope: 'api',
    issuedAt: now,
    expiresAt: now + expiresInMs,
    isRevoked: false,
  });
  return token;
}

/** Calls `/services/data<path>` on a host (na1 unless told), with the token as `Authorization: Bearer`. */
export async function restCall(emulator: Emulator, token: string | undefined, path: string, options: RestCallOptions = {}): Promise<RestCallResult> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const res = await fetch(`${emulator.origins[options.host ?? 'na1']}/services/data${path}`, { method: options.method ?? 'GET', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

export function restQuery(emulator: Emulator, token: string, soql: string, host?: HostKey): Promise<RestCallResult> {
  return restCall(emulator, token, `/v62.0/query?q=${encodeURIComponent(soql)}`, { host });
}
