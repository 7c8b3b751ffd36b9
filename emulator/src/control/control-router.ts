import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from '../context';
import { HOST_KEYS, type HostKey } from '../seed';
import type { Org, OrgUser } from '../state';
import { revokeFamily } from '../oauth/token-families';
import { createFile, describeFile } from '../rest/rest-files';

const Username = z.strictObject({ username: z.string().min(1).optional() });
const PreauthorizedBody = z.strictObject({ username: z.string().min(1), authorized: z.boolean() });
const Toggle = z.strictObject({ enabled: z.boolean() });
const FaultBody = z.strictObject({
  kind: z.enum(['request_limit', 'session_blocked', 'unavailable']),
  count: z.number().int().min(1).max(100_000).default(1),
  /** api: REST, identity and userinfo calls; token: the token endpoint; any: both. */
  target: z.enum(['api', 'token', 'any']).default('api'),
});
const DelayBody = z.strictObject({ ms: z.number().int().min(0).max(120_000), target: z.enum(['api', 'token']) });
const MoveBody = z.strictObject({ org: z.string().min(1), to: z.enum(HOST_KEYS as [string, ...string[]]).default('na2') });
const LifetimeBody = z.strictObject({ seconds: z.number().int().min(1).max(86_400) });
const ApprovalsBody = z.strictObject({ count: z.number().int().min(1).max(100_000) });
/** The daily API allowance and, optionally, the calls already counted; `org` is a key or an org id (default: every org). */
const ApiLimitBody = z.strictObject({
  daily: z.number().int().min(1).max(100_000_000),
  used: z.number().int().min(0).max(100_000_000).optional(),
  org: z.string().min(1).optional(),
});
/** A file to download, up to 2 GB (Salesforce's largest); `org` is a key or an org id (default: the first org). */
const FileBody = z.strictObject({
  size: z
    .number()
    .int()
    .min(0)
    .max(2 * 1024 ** 3),
  org: z.string().min(1).optional(),
});
/** 1 s to a year; null or 0 turns the idle lifetime off. */
const IdleLifetimeBody = z.strictObject({ seconds: z.number().int().min(0).max(31_536_000).nullable() });

/**
 * The emulator's control API, for tests and demos: loopback callers only, and never from a web
 * page. Every answer is JSON and never holds a token. `host` is the emulated host it is mounted on.
 */
export function createControlRouter(ctx: EmulatorContext, host: HostKey): Router {
  const router = Router();
  const { state } = ctx;
  router.use(loopbackOnly(), sameOriginOnly(ctx, host), express.json({ limit: '10kb' }));

  router.get('/', (_req, res) => {
    res.json({ hosts: ctx.origins, orgs: state.orgs.map((org) => describeOrg(ctx, org)), settings: describeSettings(ctx) });
  });
  router.post('/reset', (_req, res) => {
    state.reset();
    res.json({ reset: true });
  });
  router.post('/expire-access-tokens', (req, res) => {
    const users = usersFor(ctx, Username.parse(req.body ?? {}).username);
    let expired = 0;
    for (const token of state.accessTokens.values()) {
      if (users.has(token.userId) && token.expiresAt > Date.now()) {
        token.expiresAt = Date.now() - 1;
        expired += 1;
      }
    }
    res.json({ expired });
  });
  router.post('/revoke-refresh-tokens', (req, res) => {
    const users = usersFor(ctx, Username.parse(req.body ?? {}).username);
    let revoked = 0;
    for (const family of state.families.values()) {
      if (users.has(family.userId) && !family.isRevoked && family.refreshToken) {
        revokeFamily(ctx, family);
        revoked += 1;
      }
    }
    res.json({ revoked });
  });
  router.post('/rotation', (req, res) => {
    state.settings.rotation = Toggle.parse(req.body).enabled;
    res.json({ rotation: state.settings.rotation });
  });
  router.post('/tamper-signatures', (req, res) => {
    state.settings.tamperSignatures = Toggle.parse(req.body).enabled;
    res.json({ tamperSignatures: state.settings.tamperSignatures });
  });
  router.post('/faults', (req, res) => {
    const fault = FaultBody.parse(req.body);
    state.settings.faults.push({ kind: fault.kind, target: fault.target, remaining: fault.count });
    res.json({ faults: state.settings.faults });
  });
  router.delete('/faults', (_req, res) => {
    state.settings.faults = [];
    res.json({ faults: [] });
  });
  router.post('/delay', (req, res) => {
    const { ms, target } = DelayBody.parse(req.body);
    state.settings.delays[target] = ms;
    res.json({ delays: state.settings.delays });
  });
  router.post('/access-token-lifetime', (req, res) => {
    state.settings.accessTokenLifetimeMs = LifetimeBody.parse(req.body).seconds * 1000;
    res.json({ accessTokenLifetimeSeconds: state.settings.accessTokenLifetimeMs / 1000 });
  });
  router.post('/approvals-per-user', (req, res) => {
    state.settings.approvalsPerUser = ApprovalsBody.parse(req.body).count;
    res.json({ approvalsPerUser: state.settings.approvalsPerUser });
  });
  router.post('/refresh-token-idle-lifetime', (req, res) => {
    const { seconds } = IdleLifetimeBody.parse(req.body);
    state.settings.refreshTokenIdleLifetimeMs = seconds ? seconds * 1000 : null;
    res.json({ refreshTokenIdleLifetimeSeconds: idleLifetimeSeconds(ctx) });
  });
  router.post('/api-limit', (req, res) => {
    const { daily, used, org: key } = ApiLimitBody.parse(req.body);
    const org = key === undefined ? undefined : (state.orgByKey(key) ?? state.findOrg(key));
    if (key !== undefined && !org) return void res.status(404).json({ error: 'unknown_org' });
    const orgs = org ? [org] : state.orgs;
    for (const target of orgs) {
      target.apiDailyLimit = daily;
      if (used !== undefined) target.apiUsage = used;
    }
    res.json({ orgs: orgs.map((o) => ({ key: o.key, id: o.id, apiDailyLimit: o.apiDailyLimit, apiUsage: o.apiUsage })) });
  });
  router.post('/move-instance', (req, res) => {
    const { org: key, to } = MoveBody.parse(req.body);
    const org = state.orgByKey(key) ?? state.findOrg(key);
    if (!org) return void res.status(404).json({ error: 'unknown_org' });
    state.settings.instanceMoves.set(org.id, to as Org['instanceHost']);
    res.json({ org: org.id, movesTo: ctx.origins[to as Org['instanceHost']], at: 'next refresh' });
  });
  router.post('/users/:action', (req, res) => {
    const action = req.params.action;
    const username = Username.parse(req.body ?? {}).username;
    const user = username ? state.findUserByUsername(username) : undefined;
    if (!user || (action !== 'deactivate' && action !== 'activate')) return void res.status(404).json({ error: 'unknown_user_or_action' });
    user.isActive = action === 'activate';
    res.json({ username: user.username, isActive: user.isActive });
  });
  router.post('/jwt-preauthorized', (req, res) => {
    const { username, authorized } = PreauthorizedBody.parse(req.body);
    const user = state.findUserByUsername(username);
    if (!user) return void res.status(404).json({ error: 'unknown_user' });
    if (authorized) state.settings.jwtPreauthorizedUserIds.add(user.id);
    else state.settings.jwtPreauthorizedUserIds.delete(user.id);
    res.json({ username: user.username, authorized, jwtPreauthorized: jwtPreauthorized(ctx) });
  });
  router.post('/files', (req, res) => {
    const { size, org: key } = FileBody.parse(req.body);
    const org = key === undefined ? state.orgs[0] : (state.orgByKey(key) ?? state.findOrg(key));
    if (!org) return void res.status(404).json({ error: 'unknown_org' });
    const file = createFile(org.id, size);
    state.files.set(file.id, file);
    res.status(201).json(describeFile(file));
  });
  router.get('/files/:id', (req, res) => {
    const file = state.files.get(req.params.id);
    if (!file) return void res.status(404).json({ error: 'unknown_file' });
    res.json(describeFile(file));
  });
  router.get('/calls', (_req, res) => {
    res.json({ counts: Object.fromEntries([...state.callCounts].sort(([a], [b]) => a.localeCompare(b))) });
  });
  router.get('/requests', (_req, res) => {
    res.json({ requests: state.requestLog });
  });

  router.use(controlErrors());
  return router;
}

/** The control API can reset or sabotage the emulator: only this machine may call it. */
function loopbackOnly(): RequestHandler {
  return (req, res, next) => {
    const address = req.socket.remoteAddress ?? '';
    if (address === '127.0.0.1' || address === '::1' || address.startsWith('127.') || address === '::ffff:127.0.0.1') return next();
    res.status(403).json({ error: 'loopback_only' });
  };
}

/**
 * Loopback alone does not stop a web page the developer has open: the browser runs on this machine,
 * and a `no-cors` POST (text/plain, no preflight) would reach the API. So:
 * - the Host must name this server on loopback, or a DNS-rebound name could read and call it;
 * - an Origin (or `Sec-Fetch-Site: cross-site`) from anywhere but the emulator itself is refused;
 * - a state-changing call must be `application/json`, which a page can only send cross-origin
 *   after a CORS preflight, and this API never answers one.
 */
function sameOriginOnly(ctx: EmulatorContext, host: HostKey): RequestHandler {
  return (req, res, next) => {
    const port = new URL(ctx.origins[host]).port;
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(hostHeader)) {
      return void res.status(403).json({ error: 'invalid_host' });
    }
    const ownOrigins = Object.values(ctx.origins).flatMap((origin) => [origin, `http://localhost:${new URL(origin).port}`]);
    const origin = req.headers.origin;
    if ((origin !== undefined && !ownOrigins.includes(origin)) || req.headers['sec-fetch-site'] === 'cross-site') {
      return void res.status(403).json({ error: 'cross_site_request' });
    }
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (req.method !== 'GET' && req.method !== 'HEAD' && mediaType !== 'application/json') {
      return void res.status(415).json({ error: 'unsupported_media_type' });
    }
    next();
  };
}

function controlErrors(): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof z.ZodError) return void res.status(400).json({ error: 'invalid_request', issues: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    res.status(typeof err?.status === 'number' && err.status < 500 ? err.status : 500).json({ error: 'invalid_request' });
  };
}

/** The users a control call applies to: one by username, or everyone. */
function usersFor(ctx: EmulatorContext, username?: string): Set<string> {
  const users: OrgUser[] = ctx.state.orgs.flatMap((org) => org.users);
  return new Set(users.filter((u) => !username || u.username.toLowerCase() === username.toLowerCase()).map((u) => u.id));
}

function describeOrg(ctx: EmulatorContext, org: Org) {
  return {
    key: org.key,
    id: org.id,
    name: org.name,
    isSandbox: org.isSandbox,
    loginUrl: ctx.origins[org.loginHost],
    instanceUrl: ctx.origins[org.instanceHost],
    users: org.users.map((u) => ({ id: u.id, username: u.username, name: `${u.firstName} ${u.lastName}`, isActive: u.isActive })),
    apiUsage: org.apiUsage,
    apiDailyLimit: org.apiDailyLimit,
  };
}

function describeSettings(ctx: EmulatorContext) {
  const { settings } = ctx.state;
  return {
    rotation: settings.rotation,
    tamperSignatures: settings.tamperSignatures,
    accessTokenLifetimeSeconds: settings.accessTokenLifetimeMs / 1000,
    approvalsPerUser: settings.approvalsPerUser,
    refreshTokenIdleLifetimeSeconds: idleLifetimeSeconds(ctx),
    delays: settings.delays,
    faults: settings.faults,
    instanceMoves: Object.fromEntries([...settings.instanceMoves].map(([org, host]) => [org, ctx.origins[host]])),
    jwtCertificateRegistered: ctx.app.jwtCertificate !== undefined,
    jwtPreauthorized: jwtPreauthorized(ctx),
  };
}

/** Usernames of the users pre-authorized for the Connected App (the JWT bearer flow's users), in seed order. */
function jwtPreauthorized(ctx: EmulatorContext): string[] {
  return ctx.state.orgs.flatMap((org) => org.users.filter((u) => ctx.state.settings.jwtPreauthorizedUserIds.has(u.id)).map((u) => u.username));
}

function idleLifetimeSeconds(ctx: EmulatorContext): number | null {
  const ms = ctx.state.settings.refreshTokenIdleLifetimeMs;
  return ms === null ? null : ms / 1000;
}
