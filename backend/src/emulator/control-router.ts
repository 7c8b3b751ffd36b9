import express, { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from './emulator-context';
import { HOST_KEYS } from './emulator-seed';
import type { Org, OrgUser } from './emulator-state';
import { revokeFamily } from './token-routes';

const Username = z.strictObject({ username: z.string().min(1).optional() });
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

/**
 * The emulator's control API, for tests and demos: loopback callers only. Every answer is JSON
 * and never holds a token.
 */
export function createControlRouter(ctx: EmulatorContext): Router {
  const router = Router();
  const { state } = ctx;
  router.use(loopbackOnly(), express.json({ limit: '10kb' }));

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
  };
}

function describeSettings(ctx: EmulatorContext) {
  const { settings } = ctx.state;
  return {
    rotation: settings.rotation,
    tamperSignatures: settings.tamperSignatures,
    accessTokenLifetimeSeconds: settings.accessTokenLifetimeMs / 1000,
    delays: settings.delays,
    faults: settings.faults,
    instanceMoves: Object.fromEntries([...settings.instanceMoves].map(([org, host]) => [org, ctx.origins[host]])),
  };
}
