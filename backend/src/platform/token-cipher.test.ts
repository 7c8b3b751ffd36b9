import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const cipher = new TokenCipher(randomBytes(32));

  test('when a token is encrypted and decrypted, then the same token comes back and the sealed form does not contain it', () => {
    const token = '00D5g00000PRODA!ARsecret-access-token';

    const sealed = cipher.encrypt(token);

    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('secret-access-token');
    expect(cipher.decrypt(sealed)).toBe(token);
    expect(cipher.encrypt(token)).not.toBe(sealed); // a fresh nonce every time
  });

  test('when the sealed value is tampered with or sealed by another key, then decryption fails', () => {
    const sealed = cipher.encrypt('refresh-token');
    const parts = sealed.split('.');
    const flipped = [...parts.slice(0, 3), Buffer.from('X' + Buffer.from(parts[3], 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url')].join('.');

    expect(() => cipher.decrypt(flipped)).toThrow();
    expect(() => new TokenCipher(randomBytes(32)).decrypt(sealed)).toThrow();
    expect(() => cipher.decrypt('plain-token')).toThrow('not an encrypted token');
  });
});
