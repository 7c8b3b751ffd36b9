import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 's'.repeat(40);
const DEV = { SESSION_SECRET: SECRET, TOKEN_ENCRYPTION_KEY: KEY };

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to fail');
}

describe('loadConfig', () => {
  test('when only the dev secrets are set, then the documented defaults apply and the emulator is the Salesforce', () => {
    const config = loadConfig(DEV);

    expect(config.http.port).toBe(3000);
    expect(config.http.publicUrl).toBe('http://localhost:3000');
    expect(config.salesforce.redirectUri).toBe('http://localhost:3000/sfdc/oauth/callback');
    expect(config.salesforce.loginUrl).toBe('https://login.salesforce.com');
    expect(config.salesforce.sandboxLoginUrl).toBe('https://test.salesforce.com');
    expect(config.salesforce.apiVersion).toBe('62.0');
    expect(config.salesforce.clientId).toBeUndefined();
    expect(config.salesforce.trustedHosts).toContain('*.salesforce.com');
    expect(config.session.secureCookie).toBe(false);
    expect(config.crypto.tokenKey).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  test('when PUBLIC_URL and SFDC_TRUSTED_HOSTS are set, then the redirect URI and host list follow them', () => {
    const config = loadConfig({ ...DEV, PORT: '8080', PUBLIC_URL: 'https://tasks.example.com/', SFDC_TRUSTED_HOSTS: ' *.my.salesforce.com, 127.0.0.1:4000 ' });

    expect(config.http.port).toBe(8080);
    expect(config.salesforce.redirectUri).toBe('https://tasks.example.com/sfdc/oauth/callback');
    expect(config.salesforce.trustedHosts).toEqual(['*.my.salesforce.com', '127.0.0.1:4000']);
  });

  test('when TRUST_PROXY is unset or empty, then no proxy is trusted; a hop count is a number', () => {
    expect(loadConfig(DEV).http.trustProxy).toBe(false);
    expect(loadConfig({ ...DEV, TRUST_PROXY: '' }).http.trustProxy).toBe(false);
    expect(loadConfig({ ...DEV, TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
  });

  test('when the health settings are unset, set, 0 or invalid, then 6 h / 7 days, the given seconds, off, or an error naming them', () => {
    expect(loadConfig(DEV).health).toEqual({ checkIntervalMs: 21_600_000, keepAliveRefreshAfterMs: 604_800_000 });
    expect(loadConfig({ ...DEV, SFDC_HEALTH_CHECK_INTERVAL: '1.5', SFDC_KEEPALIVE_REFRESH_AFTER: '60' }).health).toEqual({ checkIntervalMs: 1_500, keepAliveRefreshAfterMs: 60_000 });
    expect(loadConfig({ ...DEV, SFDC_HEALTH_CHECK_INTERVAL: '0' }).health.checkIntervalMs).toBe(0);
    expect(configError({ ...DEV, SFDC_HEALTH_CHECK_INTERVAL: '-1', SFDC_KEEPALIVE_REFRESH_AFTER: 'weekly' }).variables.sort()).toEqual(['SFDC_HEALTH_CHECK_INTERVAL', 'SFDC_KEEPALIVE_REFRESH_AFTER']);
  });

  test('when METRICS_TOKEN is unset, empty, or long enough, then /metrics is off, off, or guarded by it', () => {
    expect(loadConfig(DEV).metrics.token).toBeUndefined();
    expect(loadConfig({ ...DEV, METRICS_TOKEN: '' }).metrics.token).toBeUndefined();
    expect(loadConfig({ ...DEV, METRICS_TOKEN: 'm3tr1cs-t0ken-0123456789' }).metrics.token).toBe('m3tr1cs-t0ken-0123456789');
  });

  test('when METRICS_TOKEN is short or has a space, then the start stops naming it and never echoes it', () => {
    for (const token of ['short-token', 'sixteen chars and a space']) {
      const err = configError({ ...DEV, METRICS_TOKEN: token });

      expect(err.variables).toEqual(['METRICS_TOKEN']);
      expect(err.message).not.toContain(token);
    }
  });

  test('when the retention settings are unset, set, or not whole days of 1 or more, then 90 / 30 days, the given days, or an error naming them', () => {
    expect(loadConfig(DEV).retention).toEqual({ eventDays: 90, deliveryDays: 30 });
    expect(loadConfig({ ...DEV, EVENT_RETENTION_DAYS: '365', DELIVERY_RETENTION_DAYS: '7' }).retention).toEqual({ eventDays: 365, deliveryDays: 7 });
    expect(configError({ ...DEV, EVENT_RETENTION_DAYS: '0', DELIVERY_RETENTION_DAYS: '1.5' }).variables.sort()).toEqual(['DELIVERY_RETENTION_DAYS', 'EVENT_RETENTION_DAYS']);
    expect(configError({ ...DEV, EVENT_RETENTION_DAYS: 'ninety' }).variables).toEqual(['EVENT_RETENTION_DAYS']);
  });

  test('when the JWT key is set, a file, or not a key, then the PEM is kept, read, or the start stops naming the variable and never its value', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const path = await import('node:path');
    const os = await import('node:os');
    const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'jwt-key-')), 'key.pem');
    writeFileSync(file, pem);

    expect(loadConfig(DEV).salesforce.jwtPrivateKey).toBeUndefined();
    expect(loadConfig({ ...DEV, SFDC_JWT_PRIVATE_KEY: pem }).salesforce.jwtPrivateKey).toBe(pem);
    expect(loadConfig({ ...DEV, SFDC_JWT_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }).salesforce.jwtPrivateKey).toBe(pem); // one-line form, as .env files hold it
    expect(loadConfig({ ...DEV, SFDC_JWT_PRIVATE_KEY_FILE: file }).salesforce.jwtPrivateKey).toBe(pem);
    const bad = configError({ ...DEV, SFDC_JWT_PRIVATE_KEY: 'not-a-key-value-42' });
    expect(bad.variables).toEqual(['SFDC_JWT_PRIVATE_KEY']);
    expect(bad.message).not.toContain('not-a-key-value-42');
    expect(configError({ ...DEV, SFDC_JWT_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }).variables).toEqual(['SFDC_JWT_PRIVATE_KEY_FILE']);
  });

  test('when production lacks its secrets, then it refuses to start naming each variable', () => {
    const err = configError({ NODE_ENV: 'production', SESSION_SECRET: SECRET });

    expect(err.variables.sort()).toEqual(['SFDC_CONNECTED_APP_KEY', 'SFDC_CONNECTED_APP_SECRET', 'TOKEN_ENCRYPTION_KEY']);
    expect(err.message).toContain('TOKEN_ENCRYPTION_KEY: is required in production');
    expect(err.message).not.toContain(SECRET);
  });

  test('when production has every secret, then cookies are Secure', () => {
    const config = loadConfig({ ...DEV, NODE_ENV: 'production', SFDC_CONNECTED_APP_KEY: 'key', SFDC_CONNECTED_APP_SECRET: 'secret' });

    expect(config.isProduction).toBe(true);
    expect(config.session.secureCookie).toBe(true);
  });

  test('when values are invalid, then the error names the variables and never echoes a value', () => {
    const badValues = {
      PORT: 'eighty',
      SESSION_SECRET: 'too-short-secret-value',
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(16, 1).toString('base64'),
      DATABASE_URL: 'mysql://user:hunter2@db/app',
      SFDC_API_VERSION: 'v62',
      SFDC_TRUSTED_HOSTS: 'https://evil.example.com/path',
      SFDC_CONNECTED_APP_KEY: 'consumer-key-without-secret',
    };

    const err = configError(badValues);

    expect(err.variables.sort()).toEqual([...Object.keys(badValues), 'SFDC_CONNECTED_APP_SECRET'].filter((n) => n !== 'SFDC_CONNECTED_APP_KEY').sort());
    for (const value of Object.values(badValues)) expect(err.message).not.toContain(value);
  });
});
