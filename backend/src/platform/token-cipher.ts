import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const BOUND = 'v2';
/** Sealed before values were bound to their owner; read only to re-seal them (see `unsealLegacy`). */
const LEGACY = 'v1';
const IV_BYTES = 12; // the GCM standard nonce size

/**
 * AES-256-GCM for secrets at rest (Salesforce tokens, PKCE verifiers). Output is
 * `v2.<iv>.<tag>.<ciphertext>` in base64url, so a stolen database dump holds no usable token
 * and a tampered value fails to decrypt instead of decrypting to garbage.
 *
 * Every value is bound to what owns it (`boundTo`, e.g. `task:<id>`) as GCM's additional
 * authenticated data: a sealed token copied into another row (another user's Task) does not
 * decrypt there.
 */
export class TokenCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('TokenCipher needs a 32-byte key');
  }

  encrypt(plaintext: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [BOUND, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  /** @throws Error when the value was not sealed by this key for this owner (tampered, moved, truncated, another key). */
  decrypt(sealed: string, boundTo: string): string {
    return this.open(sealed, BOUND, boundTo);
  }

  /** A value sealed before binding existed (`v1.`): only to re-seal it bound, once, at start-up. */
  unsealLegacy(sealed: string): string {
    return this.open(sealed, LEGACY, undefined);
  }

  static isLegacy(sealed: unknown): boolean {
    return typeof sealed === 'string' && sealed.startsWith(`${LEGACY}.`);
  }

  private open(sealed: string, expectedVersion: string, boundTo: string | undefined): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== expectedVersion || !iv || !tag || ciphertext === undefined) throw new Error('not an encrypted token');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    if (boundTo !== undefined) decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
