import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { startEmulator, type Emulator } from '../server';

export const TEST_CLIENT = { clientId: 'test-consumer-key', clientSecret: 'test-consumer-secret', redirectUri: 'http://127.0.0.1:9/sfdc/oauth/callback' };

/** The JWT bearer flow's key pair, generated once per process: the test emulator registers the public key. */
const TEST_JWT_KEY_PAIR = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
/** The private key (PKCS#8 PEM) whose public key the test emulator's Connected App holds. */
export const TEST_JWT_PRIVATE_KEY = TEST_JWT_KEY_PAIR.privateKey;
/** The public key (SPKI PEM) the test emulator's Connected App holds. */
export const TEST_JWT_PUBLIC_KEY = TEST_JWT_KEY_PAIR.publicKey;

export function startTestEmulator(): Promise<Emulator> {
  return startEmulator({
    port: 0,
    clientId: TEST_CLIENT.clientId,
    clientSecret: TEST_CLIENT.clientSecret,
    redirectUris: [TEST_CLIENT.redirectUri],
    jwtCertificate: TEST_JWT_PUBLIC_KEY,
  });
}

/**
 * A JWT bearer assertion, RS256-signed: `iss` the test client id, `exp` `expSeconds` from now
 * (180 by default; negative for an expired one). `privateKey` defaults to TEST_JWT_PRIVATE_KEY.
 */
export async function jwtAssertion(claims: { sub: string; aud: string; iss?: string; expSeconds?: number; privateKey?: string }): Promise<string> {
  const key = await importPKCS8(claims.privateKey ?? TEST_JWT_PRIVATE_KEY, 'RS256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.iss ?? TEST_CLIENT.clientId)
    .setSubject(claims.sub)
    .setAudience(claims.aud)
    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expSeconds ?? 180))
    .sign(key);
}

/** `POST /services/oauth2/token` with the JWT bearer grant and this assertion. */
export function jwtBearerGrant(loginUrl: string, assertion: string) {
  return postForm(`${loginUrl}/services/oauth2/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(loginUrl: string, params: Record<string, string> = {}): string {
  const url = new URL('/services/oauth2/authorize', loginUrl);
  const all = { response_type: 'code', client_id: TEST_CLIENT.clientId, redirect_uri: TEST_CLIENT.redirectUri, scope: 'api refresh_token id', ...params };
  for (const [key, value] of Object.entries(all)) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * Does what a person does on the consent page: opens the authorize URL, picks a user, clicks
 * Allow or Deny. Answers the callback URL the emulator redirects to.
 */
export async function consent(url: string, options: { decision?: 'allow' | 'deny'; username?: string } = {}): Promise<URL> {
  const page = await fetch(url, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize answered ${page.status}: ${html.slice(0, 200)}`);
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
  const users = [...html.matchAll(/name="user_id" value="([^"]+)"[^>]*>\s*<label[^>]*>.*?\(([^)]+)\)<\/span>/gs)].map((m) => ({ id: m[1], username: m[2] }));
  const user = options.username ? users.find((u) => u.username === options.username) : users[0];
  if (!requestId || !user) throw new Error('the consent page has no form or no such user');
  const form = new URLSearchParams({ request_id: requestId, user_id: user.id, decision: options.decision ?? 'allow' });
  const decision = await fetch(new URL('/services/oauth2/authorize/decision', url), {
    method: 'POST',
    body: form,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  const location = decision.headers.get('location');
  if (decision.status !== 302 || !location) throw new Error(`the decision answered ${decision.status}`);
  return new URL(location);
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test asserts on the shape it expects
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A whole authorization: consent, then the code exchange. Answers the token response. */
export async function connect(emulator: Emulator, options: { loginUrl?: string; username?: string; scope?: string } = {}) {
  const { verifier, challenge } = pkcePair();
  const callback = await consent(
    authorizeUrl(options.loginUrl ?? emulator.loginUrl, { code_challenge: challenge, code_challenge_method: 'S256', ...(options.scope ? { scope: options.scope } : {}) }),
    { username: options.username },
  );
  const res = await postForm(`${options.loginUrl ?? emulator.loginUrl}/services/oauth2/token`, {
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code')!,
    client_id: TEST_CLIENT.clientId,
    client_secret: TEST_CLIENT.clientSecret,
    redirect_uri: TEST_CLIENT.redirectUri,
    code_verifier: verifier,
  });
  if (res.status !== 200) throw new Error(`code exchange answered ${res.status}: ${res.text}`);
  return res.json as Record<string, string>;
}

export function refreshGrant(emulator: Emulator, refreshToken: string, loginUrl = emulator.loginUrl) {
  return postForm(`${loginUrl}/services/oauth2/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: TEST_CLIENT.clientId,
    client_secret: TEST_CLIENT.clientSecret,
  });
}

/** Calls the control API: GET without a body, else POST (or `method`); state-changing calls must be JSON. */
export async function control(emulator: Emulator, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  const reads = method === 'GET' || method === 'HEAD';
  const res = await fetch(`${emulator.controlUrl}${path}`, {
    method,
    headers: reads ? {} : { 'content-type': 'application/json' },
    body: reads ? undefined : JSON.stringify(body ?? {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test asserts on the shape it expects
  return { status: res.status, json: (await res.json()) as any };
}

/** The app's Salesforce settings for this emulator: its hosts on their own ports only, and its Connected App. */
export function emulatorEnv(emulator: Emulator): Record<string, string> {
  const hosts = emulator.hostPatterns;
  return {
    SFDC_LOGIN_URL: emulator.loginUrl,
    SFDC_SANDBOX_LOGIN_URL: emulator.sandboxLoginUrl,
    SFDC_TRUSTED_HOSTS: hosts.trusted.join(','),
    SFDC_LOGIN_HOSTS: hosts.login.join(','),
    SFDC_CONNECTED_APP_KEY: emulator.app.clientId,
    SFDC_CONNECTED_APP_SECRET: emulator.app.clientSecret,
  };
}
