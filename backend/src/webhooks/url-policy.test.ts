import { describe, expect, test } from 'vitest';
import { WebhookUrlPolicy, isPublicAddress } from './url-policy';

describe('webhook URL policy', () => {
  test('when addresses are this machine, private, link-local, metadata or reserved, then they are not public; others are', () => {
    const refused = [
      '127.0.0.1',
      '127.0.0.2',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not an ip',
    ];
    const allowed = ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:93.184.216.34'];

    expect(refused.filter((address) => isPublicAddress(address))).toEqual([]);
    expect(allowed.filter((address) => !isPublicAddress(address))).toEqual([]);
  });

  test('when a host is on the allowlist, then http and any listed port are fine without a public address; otherwise https and public only', async () => {
    const policy = new WebhookUrlPolicy(['localhost:*', '127.0.0.1:8080'], async () => [{ address: '10.0.0.1', family: 4 }]);

    await expect(policy.check('http://localhost:3999/hook')).resolves.toBeInstanceOf(URL);
    await expect(policy.check('http://127.0.0.1:8080/hook')).resolves.toBeInstanceOf(URL);
    await expect(policy.check('http://127.0.0.1:8081/hook')).rejects.toThrow(/https/);
    await expect(policy.check('https://127.0.0.1:8081/hook')).rejects.toThrow(/public address/);
    await expect(policy.check('https://internal.example.test/hook')).rejects.toThrow(/public address/); // resolves to 10.0.0.1
  });
});
