import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { connect, control, postForm, refreshGrant, startTestEmulator, TEST_CLIENT } from '../testing/kit';
import type { Emulator } from '../server';
import type { TokenFamily } from '../state';

const EXPIRED = { error: 'invalid_grant', error_description: 'expired access/refresh token' };
const INVALID_SESSION = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
type Tokens = Record<string, string>;

describe('emulator: the limits that end a connection without a revocation', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());
  beforeEach(() => emulator.state.reset());

  const rest = (tokens: Tokens) => fetch(`${tokens.instance_url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const identity = (tokens: Tokens) => fetch(tokens.id, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const connectTimes = async (times: number, options: Parameters<typeof connect>[1] = {}) => {
    const approvals: Tokens[] = [];
    for (let i = 0; i < times; i++) approvals.push(await connect(emulator, options));
    return approvals;
  };
  const refreshStatuses = async (approvals: Tokens[], loginUrl = emulator.loginUrl) => {
    const statuses: number[] = [];
    for (const tokens of approvals) statuses.push((await refreshGrant(emulator, tokens.refresh_token, loginUrl)).status);
    return statuses;
  };
  const calls = async () => (await control(emulator, '/calls')).json.counts as Record<string, number>;

  describe('five approvals per user per connected app', () => {
    test('when a user approves the app a sixth time, then the oldest approval is revoked: its refresh is invalid_grant and its access token dies', async () => {
      const five = await connectTimes(5);
      const beforeSixth = await refreshStatuses(five);

      const sixth = await connect(emulator);
      const oldest = await refreshGrant(emulator, five[0].refresh_token);
      const oldestRest = await rest(five[0]);
      const oldestIdentity = await identity(five[0]);
      const counts = await calls();
      const requests = JSON.stringify((await control(emulator, '/requests')).json);

      expect(beforeSixth).toEqual([200, 200, 200, 200, 200]); // five are allowed
      expect(oldest.status).toBe(400);
      expect(oldest.json).toEqual(EXPIRED);
      expect(oldestRest.status).toBe(401);
      expect(await oldestRest.json()).toEqual(INVALID_SESSION);
      expect(oldestIdentity.status).toBe(403);
      expect(await oldestIdentity.text()).toBe('Bad_OAuth_Token');
      expect(await refreshStatuses([...five.slice(1), sixth])).toEqual([200, 200, 200, 200, 200]);
      for (const tokens of [...five.slice(1), sixth]) expect((await rest(tokens)).status).toBe(200);
      expect(counts['approval:evicted']).toBe(1);
      for (const secret of [five[0].refresh_token, five[0].access_token]) expect(JSON.stringify(counts) + requests).not.toContain(secret);
    });

    test('when other users approve the app, then they do not count against this user’s five, nor lose theirs when this user approves a sixth time', async () => {
      const ada = await connectTimes(5, { username: 'ada@acme.example' });
      const grace = await connectTimes(5, { username: 'grace@acme.example' });
      const sandboxAda = await connectTimes(5, { loginUrl: emulator.sandboxLoginUrl });
      const allFifteen = [...(await refreshStatuses([...ada, ...grace])), ...(await refreshStatuses(sandboxAda, emulator.sandboxLoginUrl))];

      const adaSixth = await connect(emulator, { username: 'ada@acme.example' });

      expect(allFifteen).toEqual(Array(15).fill(200));
      expect((await refreshGrant(emulator, ada[0].refresh_token)).json).toEqual(EXPIRED);
      expect(await refreshStatuses([...ada.slice(1), adaSixth, ...grace])).toEqual(Array(10).fill(200));
      expect(await refreshStatuses(sandboxAda, emulator.sandboxLoginUrl)).toEqual(Array(5).fill(200));
      expect((await calls())['approval:evicted']).toBe(1);
    });

    test('when the user approved another connected app five times, then those do not count here and are not the ones revoked', async () => {
      // Another client id's approvals for the same user, older than all of this app's (the emulator serves one Connected App).
      const ada = emulator.state.findUserByUsername('ada@acme.example')!;
      const otherApp = Array.from({ length: 5 }, (_, i) => approveOtherApp(emulator, ada.id, ada.orgId, `other-app-refresh-token-${i}`));

      const five = await connectTimes(5);
      const fiveAfterOthers = await refreshStatuses(five);
      const sixth = await connect(emulator);

      expect(fiveAfterOthers).toEqual(Array(5).fill(200));
      expect((await refreshGrant(emulator, five[0].refresh_token)).json).toEqual(EXPIRED);
      expect(await refreshStatuses([...five.slice(1), sixth])).toEqual(Array(5).fill(200));
      expect(otherApp.map((family) => family.isRevoked)).toEqual(Array(5).fill(false));
      expect((await calls())['approval:evicted']).toBe(1);
    });

    test('when rotation issues new refresh tokens, then they stay one approval: ten rotations, and a sixth approval still revokes only the oldest', async () => {
      await control(emulator, '/rotation', { enabled: true });
      const latest = new Map<Tokens, string>();
      const rotate = async (tokens: Tokens) => {
        const res = await refreshGrant(emulator, latest.get(tokens) ?? tokens.refresh_token);
        if (res.status === 200) latest.set(tokens, res.json.refresh_token);
        return res;
      };
      const first = await connect(emulator);
      const tenRotations: number[] = [];
      for (let i = 0; i < 10; i++) tenRotations.push((await rotate(first)).status);
      const others = await connectTimes(4);
      const stillFive: number[] = [];
      for (const tokens of [first, ...others]) stillFive.push((await rotate(tokens)).status);

      const sixth = await connect(emulator);
      const firstAfterSixth = await rotate(first);
      const theOtherFive: number[] = [];
      for (const tokens of [...others, sixth]) theOtherFive.push((await rotate(tokens)).status);

      expect(tenRotations).toEqual(Array(10).fill(200));
      expect(latest.get(first)).not.toBe(first.refresh_token); // rotation really issued new refresh tokens
      expect(stillFive).toEqual(Array(5).fill(200)); // eleven rotations later, still five approvals
      expect(firstAfterSixth.json).toEqual(EXPIRED);
      expect((await rest(first)).status).toBe(401);
      expect(theOtherFive).toEqual(Array(5).fill(200));
      expect((await calls())['approval:evicted']).toBe(1);
    });

    test('when an approval issues no refresh token, then it neither counts nor is revoked', async () => {
      const five = await connectTimes(5);
      const accessOnly = await connectTimes(2, { scope: 'api id' });

      const fiveStillLive = await refreshStatuses(five);
      const sixth = await connect(emulator);

      expect(accessOnly.map((tokens) => tokens.refresh_token)).toEqual([undefined, undefined]);
      expect(fiveStillLive).toEqual(Array(5).fill(200));
      expect((await refreshGrant(emulator, five[0].refresh_token)).json).toEqual(EXPIRED);
      expect(await refreshStatuses([...five.slice(1), sixth])).toEqual(Array(5).fill(200));
      for (const tokens of accessOnly) expect((await rest(tokens)).status).toBe(200);
    });

    test('when the cap is changed, then the next approval revokes the oldest down to it, and the settings show it', async () => {
      const three = await connectTimes(3);

      const set = await control(emulator, '/approvals-per-user', { count: 2 });
      const shown = (await control(emulator, '/')).json.settings.approvalsPerUser;
      const threeAfterSetting = await refreshStatuses(three); // the setting itself revokes nothing
      const fourth = await connect(emulator);
      const afterFourth = await refreshStatuses([...three, fourth]);
      await control(emulator, '/approvals-per-user', { count: 3 });
      const fifth = await connect(emulator);

      expect(set).toEqual({ status: 200, json: { approvalsPerUser: 2 } });
      expect(shown).toBe(2);
      expect(threeAfterSetting).toEqual([200, 200, 200]);
      expect(afterFourth).toEqual([400, 400, 200, 200]);
      expect(await refreshStatuses([three[2], fourth, fifth])).toEqual([200, 200, 200]);
      expect((await calls())['approval:evicted']).toBe(2);
    });
  });

  describe('refresh-token idle lifetime', () => {
    test('when a refresh token goes unused for longer than the idle lifetime, then its refresh is invalid_grant and the family is revoked', async () => {
      const tokens = await connect(emulator);

      const set = await control(emulator, '/refresh-token-idle-lifetime', { seconds: 1 });
      await sleep(1_200);
      const refresh = await refreshGrant(emulator, tokens.refresh_token);
      const restAfter = await rest(tokens);
      await control(emulator, '/refresh-token-idle-lifetime', { seconds: null });
      const afterTurningOff = await refreshGrant(emulator, tokens.refresh_token);

      expect(set).toEqual({ status: 200, json: { refreshTokenIdleLifetimeSeconds: 1 } });
      expect(refresh.status).toBe(400);
      expect(refresh.json).toEqual(EXPIRED);
      expect(restAfter.status).toBe(401); // its access token (still within its own lifetime) died with it
      expect(afterTurningOff.json).toEqual(EXPIRED); // revoked, not just late
      expect((await calls())['refresh_token:idle_expired']).toBe(1);
    });

    test('when a refresh token is used within the window, then it works and the window starts again', async () => {
      await control(emulator, '/refresh-token-idle-lifetime', { seconds: 1 });
      const tokens = await connect(emulator);

      await sleep(600);
      const first = await refreshGrant(emulator, tokens.refresh_token);
      await sleep(600); // 1.2 s after the code exchange, 0.6 s after the last refresh
      const second = await refreshGrant(emulator, tokens.refresh_token);
      await sleep(1_200);
      const introspected = await postForm(`${emulator.loginUrl}/services/oauth2/introspect`, {
        token: tokens.refresh_token,
        client_id: TEST_CLIENT.clientId,
        client_secret: TEST_CLIENT.clientSecret,
      });
      const third = await refreshGrant(emulator, tokens.refresh_token);

      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(introspected.json).toEqual({ active: false });
      expect(third.json).toEqual(EXPIRED);
      expect((await rest({ ...tokens, access_token: second.json.access_token })).status).toBe(401);
    });

    test('when approvals have gone idle past the lifetime, then they no longer count toward the five', async () => {
      await control(emulator, '/refresh-token-idle-lifetime', { seconds: 1 });
      const idle = await connectTimes(5);
      await sleep(1_200);

      const fresh = await connect(emulator);
      const counts = await calls();

      expect(counts['approval:evicted']).toBeUndefined();
      expect(counts['refresh_token:idle_expired']).toBe(5);
      expect((await refreshGrant(emulator, fresh.refresh_token)).status).toBe(200);
      expect((await refreshGrant(emulator, idle[4].refresh_token)).json).toEqual(EXPIRED);
    });
  });

  test('when nothing is set, then five approvals and no idle lifetime; a reset puts both back', async () => {
    const defaults = (await control(emulator, '/')).json.settings;
    await control(emulator, '/approvals-per-user', { count: 1 });
    await control(emulator, '/refresh-token-idle-lifetime', { seconds: 1 });
    const changed = (await control(emulator, '/')).json.settings;

    await control(emulator, '/reset', {});
    const afterReset = (await control(emulator, '/')).json.settings;
    const two = await connectTimes(2); // a cap of 1 would revoke the first
    await sleep(1_200); // an idle lifetime of 1 s would expire both

    expect(defaults).toMatchObject({ approvalsPerUser: 5, refreshTokenIdleLifetimeSeconds: null });
    expect(changed).toMatchObject({ approvalsPerUser: 1, refreshTokenIdleLifetimeSeconds: 1 });
    expect(afterReset).toMatchObject({ approvalsPerUser: 5, refreshTokenIdleLifetimeSeconds: null });
    expect(await refreshStatuses(two)).toEqual([200, 200]);
  });

  test('when the settings get values out of range, then 400 and nothing changes; 0 or null turns the idle lifetime off', async () => {
    const bad = [
      await control(emulator, '/approvals-per-user', { count: 0 }),
      await control(emulator, '/approvals-per-user', { count: 100_001 }),
      await control(emulator, '/approvals-per-user', { count: 2.5 }),
      await control(emulator, '/approvals-per-user', { count: '5' }),
      await control(emulator, '/approvals-per-user', {}),
      await control(emulator, '/refresh-token-idle-lifetime', { seconds: -1 }),
      await control(emulator, '/refresh-token-idle-lifetime', { seconds: 31_536_001 }),
      await control(emulator, '/refresh-token-idle-lifetime', { seconds: 1.5 }),
      await control(emulator, '/refresh-token-idle-lifetime', {}),
    ];
    const unchanged = (await control(emulator, '/')).json.settings;
    const year = await control(emulator, '/refresh-token-idle-lifetime', { seconds: 31_536_000 });
    const hundred = await control(emulator, '/approvals-per-user', { count: 100 });
    const zero = await control(emulator, '/refresh-token-idle-lifetime', { seconds: 0 });

    for (const res of bad) expect([res.status, res.json.error]).toEqual([400, 'invalid_request']);
    expect(unchanged).toMatchObject({ approvalsPerUser: 5, refreshTokenIdleLifetimeSeconds: null });
    expect(year.json).toEqual({ refreshTokenIdleLifetimeSeconds: 31_536_000 });
    expect(hundred.json).toEqual({ approvalsPerUser: 100 });
    expect(zero.json).toEqual({ refreshTokenIdleLifetimeSeconds: null });
  });
});

/** An approval of another connected app (client id) for this user, put straight into the state. */
function approveOtherApp(emulator: Emulator, userId: string, orgId: string, refreshToken: string): TokenFamily {
  const family: TokenFamily = {
    id: emulator.state.newFamilyId(),
    clientId: 'another-connected-app',
    orgId,
    userId,
    scope: 'api refresh_token id',
    host: 'login',
    refreshToken,
    retiredRefreshTokens: new Set(),
    isRevoked: false,
    lastUsedAt: Date.now(),
  };
  emulator.state.families.set(family.id, family);
  return family;
}
