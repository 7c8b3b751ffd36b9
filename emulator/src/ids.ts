import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 text, the alphabet of Salesforce's ids and tokens. */
export function randomBase62(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += BASE62[byte % 62];
  return text;
}

let recordSequence = 0;

/**
 * An 18-character record id with the sObject's key prefix (001 Account, 003 Contact), shaped
 * like Salesforce's (`0015g00000AbCdEfGhAQ`). Unique within the process.
 */
export function newRecordId(keyPrefix: string): string {
  recordSequence += 1;
  return `${keyPrefix}5g${recordSequence.toString(36).toUpperCase().padStart(8, '0')}${randomBase62(3)}AQ`;
}

/** An access token shaped like Salesforce's session id: `<orgId15>!<opaque>`. */
export function newAccessToken(orgId: string): string {
  return `${orgId.slice(0, 15)}!AR${randomBase62(94)}`;
}

export function newRefreshToken(): string {
  return `5Aep861${randomBase62(80)}`;
}

/**
 * An authorization code. Real codes are base64 and end in `==`; this one always holds `+`, `/`
 * and `=` so that a client that does not URL-decode it exactly once fails against the emulator.
 */
export function newAuthorizationCode(): string {
  return `aPrx${randomBytes(48).toString('base64')}+/A==`;
}
