import { bodyJson, bodyText, type RawResponse } from './http-client';

/**
 * 401s that are not an expired session: refreshing on them loops forever (jsforce #1301/#1774),
 * because the new token is refused the same way.
 */
const NOT_REFRESHABLE_401 = /not valid for use with the REST API|Connected app is not attached to Agent/i;

/** REST: 401 INVALID_SESSION_ID "Session expired or invalid" means the access token expired: Salesforce's documented answer to an expired or revoked session. */
export function restSaysTokenExpired(res: RawResponse): boolean {
  if (res.status !== 401) return false;
  const body = bodyJson(res);
  if (!Array.isArray(body)) return false;
  return body.some((e: { errorCode?: unknown; message?: unknown }) => e?.errorCode === 'INVALID_SESSION_ID' && !NOT_REFRESHABLE_401.test(String(e?.message ?? '')));
}

/** Identity URL: an expired or invalid token is 403 with the plain body `Bad_OAuth_Token`, not a 401 (Salesforce's identity service answers in plain text). */
export function identitySaysTokenExpired(res: RawResponse): boolean {
  return res.status === 403 && bodyText(res).trim() === 'Bad_OAuth_Token';
}

/** Salesforce's own error code and message from a REST array body, an OAuth body or plain text. */
export function describeSalesforceError(res: RawResponse): { code: string; message: string } {
  const body = bodyJson(res) as unknown;
  const first = Array.isArray(body) ? (body[0] as { errorCode?: unknown; message?: unknown } | undefined) : undefined;
  if (first && typeof first.errorCode === 'string') return { code: first.errorCode, message: String(first.message ?? '') };
  const oauth = body as { error?: unknown; error_description?: unknown } | undefined;
  if (oauth && typeof oauth.error === 'string') return { code: oauth.error, message: String(oauth.error_description ?? '') };
  const text = bodyText(res).trim();
  // A short plain body is Salesforce's code (identity's Bad_OAuth_Token); an HTML page is not worth echoing.
  if (/^[A-Za-z_]{1,64}$/.test(text)) return { code: text, message: text };
  return { code: `HTTP_${res.status}`, message: /^\s*</.test(text) ? 'Salesforce answered with an HTML page' : text.slice(0, 200) };
}
