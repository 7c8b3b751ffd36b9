import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const key = randomBytes(32);
  const cipher = new TokenCipher(key);

  test('when a token is encrypted and decrypted, then the same token comes back and the sealed form does not contain it', () => {
    const token = '00D5g00000PRODA!ARsecret-access-token';

    const sealed = cipher.encrypt(token, 'task:a');

    expect(sealed).toMatch(/^v2\./);
    expect(sealed).not.toContain('secret-access-token');
    expect(cipher.decrypt(sealed, 'task:a')).toBe(token);
    expect(cipher.encrypt(token, 'task:a')).not.toBe(sealed); // a fresh nonce every time
  });

  test('when the sealed value is tampered with, sealed by another key or moved to another owner, then decryption fails', () => {
    const sealed = cipher.encrypt('refresh-token', 'task:a');
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 3), Buffer.from('X' + Buffer.from(parts[3], 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url')].join('.');

    expect(() => cipher.decrypt(flipped, 'task:a')).toThrow();
    expect(() => new TokenCipher(randomBytes(32)).decrypt(sealed, 'task:a')).toThrow();
    expect(() => cipher.decrypt(sealed, 'task:b')).toThrow();
    expect(() => cipher.decrypt('plain-token', 'task:a')).toThrow('not an encrypted token');
  });

  test('when a value was sealed before binding (v1), then only unsealLegacy reads it, never decrypt', () => {
    const iv = randomBytes(12);
    const legacy = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([legacy.update('old-token', 'utf8'), legacy.final()]);
    const sealed = ['v1', iv.toString('base64url'), legacy.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');

    expect(TokenCipher.isLegacy(sealed)).toBe(true);
    expect(cipher.unsealLegacy(sealed)).toBe('old-token');
    expect(() => cipher.decrypt(sealed, 'task:a')).toThrow('not an encrypted token');
  });
});
