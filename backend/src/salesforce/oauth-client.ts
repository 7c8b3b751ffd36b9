import { createPrivateKey } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { SignJWT, importPKCS8 } from 'jose';
import type { Config } from '../config';
import { bodyJson, sendToSalesforce, toRawResponse } from './http-client';
import { SalesforceApiError } from './errors';
import { verifyTokenResponse, type TokenResponse } from './token-response';
import type { LoginHosts } from './login-hosts';
import type { TrustedHosts } from './trusted-hosts';

export const OAUTH_SCOPE = 'api refresh_token id';

/** Salesforce's `400 {error, error_description}` from the token endpoint. */
export class OAuthGrantError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthGrantError';
  }

  /** Another refresh of the same refresh token is running at Salesforce: Salesforce answers `invalid_grant` "token request is already being processed": wait and retry. */
  get isAlreadyProcessing(): boolean {
    return this.error === 'invalid_grant' && /already being processed/i.test(this.description);
  }

  /** The grant is dead (revoked, expired, user or org inactive, app credentials wrong): only a reconnect helps. */
  get isPermanent(): boolean {
    return !this.isAlreadyProcessing && ['invalid_grant', 'invalid_client', 'invalid_client_id', 'invalid_app_access', 'inactive_user', 'inactive_org'].includes(this.error);
  }
}

type SalesforceSettings = Config['salesforce'];

/** The OAuth 2.0 web server flow against one login host: authorize URL, code exchange, refresh, revoke. */
export class SalesforceOAuth {
  constructor(private readonly deps: { settings: SalesforceSettings; http: AxiosInstance; trustedHosts: TrustedHosts; loginHosts: LoginHosts }) {}

  authorizeUrl(loginUrl: string, params: { state: string; codeChallenge: string }): string {
    const url = new URL('/services/oauth2/authorize', loginUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.deps.settings.clientId!,
      redirect_uri: this.deps.settings.redirectUri,
      scope: OAUTH_SCOPE,
      state: params.state,
      code_challenge: params.codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  /** @throws OAuthGrantError, SalesforceApiError (bad response), SalesforceUnavailableError */
  exchangeCode(loginUrl: string, code: string, codeVerifier: string): Promise<TokenResponse> {
    return this.postToken(loginUrl, {
      grant_type: 'authorization_code',
      code,
      client_id: this.deps.settings.clientId!,
      client_secret: this.deps.settings.clientSecret!,
      redirect_uri: this.deps.settings.redirectUri,
      code_verifier: codeVerifier,
    });
  }

  /**
   * The OAuth 2.0 JWT bearer flow (an integration user, no refresh token): an RS256 assertion
   * signed with the key whose certificate the Connected App holds, `iss` the consumer key, `sub`
   * the username, `aud` the login host, valid for 3 minutes. Used to connect and, on expiry, in
   * place of a refresh.
   */
  async jwtBearer(loginUrl: string, username: string): Promise<TokenResponse> {
    const key = this.deps.settings.jwtPrivateKey;
    if (!key) throw new SalesforceApiError(0, 'jwt_bearer_not_configured', 'no private key is configured (SFDC_JWT_PRIVATE_KEY)');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(this.deps.settings.clientId!)
      .setSubject(username)
      .setAudience(jwtAudience(loginUrl, this.deps.settings))
      .setExpirationTime('3m')
      .sign(await importPKCS8(toPkcs8(key), 'RS256'));
    return this.postToken(loginUrl, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
  }

  /** One refresh request; never retried here (with rotation, a replayed refresh token revokes the grant). */
  refresh(loginUrl: string, refreshToken: string): Promise<TokenResponse> {
    return this.postToken(loginUrl, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.deps.settings.clientId!,
      client_secret: this.deps.settings.clientSecret!,
    });
  }

  /** Revokes a token (a refresh token takes its access tokens along). An already invalid token counts as revoked. */
  async revoke(loginUrl: string, token: string): Promise<void> {
    const url = this.endpoint(loginUrl, '/services/oauth2/revoke');
    const res = await sendToSalesforce(this.deps.http, { method: 'post', url, data: new URLSearchParams({ token }).toString(), headers: FORM });
    if (res.status === 200 || (res.status === 400 && (bodyJson(toRawResponse(res)) as { error?: string } | undefined)?.error === 'invalid_token')) return;
    throw new SalesforceApiError(res.status, 'revoke_failed', 'Salesforce did not confirm the revocation');
  }

  private async postToken(loginUrl: string, form: Record<string, string>): Promise<TokenResponse> {
    const url = this.endpoint(loginUrl, '/services/oauth2/token');
    const res = await sendToSalesforce(this.deps.http, { method: 'post', url, data: new URLSearchParams(form).toString(), headers: FORM });
    const body = bodyJson(toRawResponse(res)) as { error?: unknown; error_description?: unknown } | undefined;
    if (res.status === 200) return verifyTokenResponse(body, this.deps.settings.clientSecret!, this.deps.trustedHosts);
    if (res.status < 500 && typeof body?.error === 'string') {
      throw new OAuthGrantError(res.status, body.error, typeof body.error_description === 'string' ? body.error_description : '');
    }
    // jsforce's convention for a non-JSON error body: ERROR_HTTP_<status>.
    throw new SalesforceApiError(res.status, typeof body?.error === 'string' ? body.error : `ERROR_HTTP_${res.status}`, 'the token endpoint failed');
  }

  /**
   * The login host was checked when the flow started; checking again here (against the login
   * host list, not the wider trusted list) keeps the secret and refresh tokens from ever leaving
   * for another host, whatever a stored row says.
   */
  private endpoint(loginUrl: string, path: string): string {
    if (!this.deps.loginHosts.isAllowed(loginUrl)) throw new SalesforceApiError(0, 'untrusted_host', 'the login host is not an allowed Salesforce login host');
    return new URL(path, loginUrl).toString();
  }
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };

/**
 * Salesforce expects the assertion's audience to be its login service: the configured production
 * or sandbox login host, or for a My Domain login https://login.salesforce.com (sandboxes:
 * https://test.salesforce.com).
 */
function jwtAudience(loginUrl: string, settings: Pick<SalesforceSettings, 'loginUrl' | 'sandboxLoginUrl'>): string {
  const origin = new URL(loginUrl).origin;
  if (origin === new URL(settings.loginUrl).origin || origin === new URL(settings.sandboxLoginUrl).origin) return origin;
  return /\.sandbox\.my\.salesforce\.com$/i.test(new URL(loginUrl).hostname) ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
}

/** jose reads PKCS#8; a key in the older PKCS#1 form ("BEGIN RSA PRIVATE KEY") is converted. */
function toPkcs8(pem: string): string {
  return pem.includes('BEGIN PRIVATE KEY') ? pem : createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString();
}
