import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Host patterns that Salesforce itself uses for login, instance and identity URLs. */
export const SALESFORCE_HOST_PATTERNS = ['*.salesforce.com', '*.force.com', '*.cloudforce.com', '*.salesforce.mil', '*.sfcrmproducts.cn'].join(',');

/**
 * Hosts a user may name as their login host (My Domain) for the `custom` environment. Stricter
 * than the trusted hosts: the token endpoint there receives the client secret and the PKCE
 * verifier, so only hosts Salesforce serves logins from, https, on port 443.
 */
export const SALESFORCE_LOGIN_HOST_PATTERNS = [
  '*.my.salesforce.com',
  '*.sandbox.my.salesforce.com',
  'login.salesforce.com',
  'test.salesforce.com',
  '*.my.salesforce.mil',
  '*.my.sfcrmproducts.cn',
].join(',');

/** `host`, `*.domain`, either with `:port` or `:*` (any port). */
const HOST_PATTERN = /^(\*\.)?[a-z0-9.-]+(:(\d+|\*))?$/i;

const hostPatternList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((list) =>
      list
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(HOST_PATTERN, 'must be comma-separated host patterns like *.salesforce.com')).min(1));

const optionalSecret = z.string().min(1).optional();

const Env = z.object({
  NODE_ENV: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  TOKEN_ENCRYPTION_KEY: z
    .base64()
    .refine((key) => Buffer.from(key, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  // Empty means not set (no proxy trusted): a bare `TRUST_PROXY=` in an .env file must not stop the app.
  TRUST_PROXY: z.string().optional(),
  SFDC_CONNECTED_APP_KEY: optionalSecret,
  SFDC_CONNECTED_APP_SECRET: optionalSecret,
  SFDC_LOGIN_URL: z.url({ protocol: /^https?$/ }).default('https://login.salesforce.com'),
  SFDC_SANDBOX_LOGIN_URL: z.url({ protocol: /^https?$/ }).default('https://test.salesforce.com'),
  SFDC_TRUSTED_HOSTS: hostPatternList(SALESFORCE_HOST_PATTERNS),
  SFDC_LOGIN_HOSTS: hostPatternList(SALESFORCE_LOGIN_HOST_PATTERNS),
  SFDC_API_VERSION: z
    .string()
    .regex(/^\d{2,3}\.0$/, 'must look like 62.0')
    .default('62.0'),
  // Seconds; fractions allowed (tests check every second or faster).
  SFDC_HEALTH_CHECK_INTERVAL: z.coerce.number().min(0, 'must be 0 (off) or a number of seconds').max(31_536_000).default(21_600),
  SFDC_KEEPALIVE_REFRESH_AFTER: z.coerce.number().min(0, 'must be a number of seconds').max(31_536_000).default(604_800),
  SFDC_JWT_PRIVATE_KEY: z.string().min(1).optional(),
  SFDC_JWT_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(HOST_PATTERN, 'must be comma-separated host[:port] patterns like hooks.example.com:8443 or localhost:*')))
    .optional(),
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default('5,30,120,600,3600,21600,86400')
    .transform((list) => list.split(',').map((value) => Number(value.trim())))
    .pipe(z.array(z.number().min(0).max(604_800)).max(20)),
  // Empty means not set (no /metrics), like TRUST_PROXY. Printable ASCII without spaces: it is sent
  // as a bearer token, and 16+ characters so it cannot be guessed by trying.
  METRICS_TOKEN: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  EVENT_RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(36_500).default(90),
  DELIVERY_RETENTION_DAYS: z.coerce.number().int('must be a whole number of days').min(1, 'must be at least 1 day').max(36_500).default(30),
});

/** Rules across variables, checked on the raw environment so they are reported with the others. */
function crossVariableIssues(env: Environment): { name: string; message: string }[] {
  const issues: { name: string; message: string }[] = [];
  // Production must never fall back to generated secrets or to the built-in emulator.
  // Outside production, main.ts fills the two secrets from .data/ before this runs.
  const isProduction = env.NODE_ENV === 'production';
  const required = isProduction ? ['SESSION_SECRET', 'TOKEN_ENCRYPTION_KEY', 'SFDC_CONNECTED_APP_KEY', 'SFDC_CONNECTED_APP_SECRET'] : ['SESSION_SECRET', 'TOKEN_ENCRYPTION_KEY'];
  for (const name of required) {
    if (!env[name]) issues.push({ name, message: isProduction ? 'is required in production' : 'is required' });
  }
  // A consumer key without its secret (or the reverse) is a half-configured Connected App.
  if (!isProduction && Boolean(env.SFDC_CONNECTED_APP_KEY) !== Boolean(env.SFDC_CONNECTED_APP_SECRET)) {
    const name = env.SFDC_CONNECTED_APP_KEY ? 'SFDC_CONNECTED_APP_SECRET' : 'SFDC_CONNECTED_APP_KEY';
    issues.push({ name, message: 'is required when the other Connected App variable is set' });
  }
  return issues;
}

export class ConfigError extends Error {
  constructor(
    readonly variables: string[],
    lines: string[],
  ) {
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Config = ReturnType<typeof loadConfig>;
export type Environment = Record<string, string | undefined>;

/**
 * Validates the environment and returns the app's frozen, grouped configuration.
 * @throws ConfigError naming each bad variable and why, never its value (values may be secrets).
 */
export function loadConfig(env: Environment = process.env) {
  const result = Env.safeParse(env);
  const issues = [...(result.error?.issues ?? []).map((issue) => ({ name: String(issue.path[0] ?? 'environment'), message: issue.message })), ...crossVariableIssues(env)];
  if (!result.success || issues.length) {
    throw new ConfigError(
      [...new Set(issues.map((i) => i.name))],
      issues.map((i) => `  ${i.name}: ${i.message}`),
    );
  }
  const e = result.data;
  const isProduction = e.NODE_ENV === 'production';
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    isProduction,
    http: { port: e.PORT, publicUrl, trustProxy: parseTrustProxy(e.TRUST_PROXY) },
    log: { level: e.LOG_LEVEL },
    db: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    session: { secret: e.SESSION_SECRET!, secureCookie: isProduction },
    crypto: { tokenKey: Buffer.from(e.TOKEN_ENCRYPTION_KEY!, 'base64') },
    salesforce: {
      clientId: e.SFDC_CONNECTED_APP_KEY,
      clientSecret: e.SFDC_CONNECTED_APP_SECRET,
      /** PEM of the key whose certificate the Connected App holds: offers connecting as an integration user (JWT bearer). */
      jwtPrivateKey: readJwtPrivateKey(e.SFDC_JWT_PRIVATE_KEY, e.SFDC_JWT_PRIVATE_KEY_FILE),
      loginUrl: e.SFDC_LOGIN_URL.replace(/\/+$/, ''),
      sandboxLoginUrl: e.SFDC_SANDBOX_LOGIN_URL.replace(/\/+$/, ''),
      trustedHosts: e.SFDC_TRUSTED_HOSTS,
      loginHosts: e.SFDC_LOGIN_HOSTS,
      apiVersion: e.SFDC_API_VERSION,
      redirectUri: `${publicUrl}/sfdc/oauth/callback`,
      /** True when the built-in emulator stands in for Salesforce (no Connected App configured). */
      usesEmulator: false,
    },
    webhooks: {
      /** Hosts a webhook may target besides public https hosts: none in production; this machine in development. */
      allowedHosts: e.WEBHOOK_ALLOWED_HOSTS ?? (isProduction ? [] : ['localhost:*', '127.0.0.1:*']),
      /** Seconds to wait before each retry of a failed delivery. */
      retryScheduleSeconds: e.WEBHOOK_RETRY_SCHEDULE,
    },
    health: {
      /** Between two background checks of one connection; 0 turns the checks off. */
      checkIntervalMs: e.SFDC_HEALTH_CHECK_INTERVAL * 1000,
      /** A check refreshes the access token first when the last refresh is older than this. */
      keepAliveRefreshAfterMs: e.SFDC_KEEPALIVE_REFRESH_AFTER * 1000,
    },
    metrics: {
      /** The bearer token `GET /metrics` requires; unset: the route does not exist. */
      token: e.METRICS_TOKEN,
    },
    retention: {
      /** Connection events older than this are deleted by the daily retention job. */
      eventDays: e.EVENT_RETENTION_DAYS,
      /** Finished webhook deliveries older than this are deleted by the same job. */
      deliveryDays: e.DELIVERY_RETENTION_DAYS,
    },
  });
}

/** Express's `trust proxy`: a hop count, `true`/`false`, or a list of addresses/subnets. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * The JWT bearer flow's private key, from the variable or the file it names; validated here so
 * that a bad key stops the start naming the variable, never later at the first connect.
 * @throws ConfigError
 */
function readJwtPrivateKey(pem: string | undefined, file: string | undefined): string | undefined {
  if (!pem && !file) return undefined;
  const name = pem ? 'SFDC_JWT_PRIVATE_KEY' : 'SFDC_JWT_PRIVATE_KEY_FILE';
  let text: string;
  try {
    text = pem ? pem.replace(/\\n/g, '\n') : readFileSync(file!, 'utf8');
  } catch {
    throw new ConfigError([name], [`  ${name}: the file cannot be read`]);
  }
  try {
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new ConfigError([name], [`  ${name}: must be an RSA private key in PEM (-----BEGIN PRIVATE KEY----- …)`]);
  }
  return text;
}
