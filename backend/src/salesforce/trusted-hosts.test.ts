import { describe, expect, test } from 'vitest';
import { SALESFORCE_HOST_PATTERNS } from '../config';
import { TrustedHosts } from './trusted-hosts';

describe('TrustedHosts', () => {
  const salesforce = new TrustedHosts(SALESFORCE_HOST_PATTERNS.split(','));

  test("when URLs are Salesforce's own https hosts, then they are trusted", () => {
    for (const url of [
      'https://login.salesforce.com',
      'https://test.salesforce.com/services/oauth2/token',
      'https://acme.my.salesforce.com',
      'https://acme--uat.sandbox.my.salesforce.com',
      'https://na1.force.com',
    ]) {
      expect(salesforce.isTrusted(url), url).toBe(true);
    }
  });

  test('when URLs are look-alikes, plain http, carry user info or are Lightning UI hosts, then they are refused', () => {
    for (const url of [
      'https://salesforce.com.evil.example',
      'https://evilsalesforce.com',
      'http://login.salesforce.com',
      'https://user:pass@login.salesforce.com',
      'https://acme.lightning.force.com',
      'https://169.254.169.254/latest',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(salesforce.isTrusted(url), url).toBe(false);
    }
  });

  test('when a loopback host is listed, then http on it is trusted, on the listed port only if a port is given', () => {
    const anyPort = new TrustedHosts(['127.0.0.1']);
    const onePort = new TrustedHosts(['127.0.0.1:4000']);

    expect(anyPort.isTrusted('http://127.0.0.1:4002/services/data')).toBe(true);
    expect(onePort.isTrusted('http://127.0.0.1:4000')).toBe(true);
    expect(onePort.isTrusted('http://127.0.0.1:4001')).toBe(false);
    expect(salesforce.isTrusted('http://127.0.0.1:4000')).toBe(false);
  });

  test('when hosts are login hosts, then a pattern without a port matches https on port 443 only, and `:*` any port', () => {
    const login = new TrustedHosts(['*.my.salesforce.com', '127.0.0.1:4001', 'localhost:*'], { portlessMeans: 'default port' });

    expect(login.isTrusted('https://acme.my.salesforce.com')).toBe(true);
    expect(login.isTrusted('https://acme.my.salesforce.com:443')).toBe(true); // the URL parser drops the default port
    expect(login.isTrusted('https://acme.my.salesforce.com:8443')).toBe(false);
    expect(login.isTrusted('http://acme.my.salesforce.com')).toBe(false);
    expect(login.isTrusted('http://127.0.0.1:4001')).toBe(true);
    expect(login.isTrusted('http://127.0.0.1:6379')).toBe(false);
    expect(login.isTrusted('http://localhost:6379')).toBe(true);
  });
});
