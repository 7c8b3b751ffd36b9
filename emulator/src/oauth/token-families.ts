import type { EmulatorContext } from '../context';
import { newAccessToken } from '../ids';
import type { TokenFamily } from '../state';

/**
 * Token families (grants, which Salesforce calls approvals): finding one by refresh token,
 * revoking one, and the two limits that end one without anybody revoking it: at most
 * `approvalsPerUser` approvals per user per connected app, and the refresh token's idle lifetime.
 */

/** The family that holds this refresh token now or held it before a rotation. */
export function findFamily(ctx: EmulatorContext, refreshToken: string): TokenFamily | undefined {
  if (!refreshToken) return undefined;
  for (const family of ctx.state.families.values()) {
    if (family.refreshToken === refreshToken || family.retiredRefreshTokens.has(refreshToken)) return family;
  }
  return undefined;
}

/** Revokes a grant: its refresh token and every access token issued from it. */
export function revokeFamily(ctx: EmulatorContext, family: TokenFamily): void {
  family.isRevoked = true;
  for (const token of ctx.state.accessTokens.values()) if (token.familyId === family.id) token.isRevoked = true;
}

/**
 * With an idle lifetime set, a refresh token unused for longer than that has expired: the family
 * is revoked (its access tokens too) the moment the emulator notices, and counted as
 * `refresh_token:idle_expired`. Answers whether it had expired.
 */
export function expireIfIdle(ctx: EmulatorContext, family: TokenFamily, now = Date.now()): boolean {
  const lifetime = ctx.state.settings.refreshTokenIdleLifetimeMs;
  if (family.isRevoked || family.refreshToken === null || lifetime === null || now - family.lastUsedAt <= lifetime) return false;
  revokeFamily(ctx, family);
  ctx.state.count('refresh_token:idle_expired');
  return true;
}

/**
 * A new approval (a code exchange that issued a refresh token) for `family`'s user and client:
 * when that makes more live approvals than `approvalsPerUser`, the oldest are revoked at once,
 * each counted as `approval:evicted`. A rotated refresh token stays the same approval; families
 * without a refresh token, other users and other client ids do not count.
 */
export function admitApproval(ctx: EmulatorContext, family: TokenFamily): void {
  if (family.refreshToken === null) return;
  const now = Date.now();
  const others: TokenFamily[] = [];
  for (const other of ctx.state.families.values()) {
    if (other.id === family.id || other.userId !== family.userId || other.clientId !== family.clientId) continue;
    if (other.refreshToken === null || other.isRevoked || expireIfIdle(ctx, other, now)) continue;
    others.push(other);
  }
  others.sort((a, b) => a.id - b.id); // family ids grow with each approval: the lowest is the oldest
  const excess = others.length + 1 - ctx.state.settings.approvalsPerUser;
  for (const oldest of others.slice(0, Math.max(0, excess))) {
    revokeFamily(ctx, oldest);
    ctx.state.count('approval:evicted');
  }
}

/** A new access token of `family`, living `accessTokenLifetimeMs` from `issuedAt`. */
export function issueAccessToken(ctx: EmulatorContext, family: TokenFamily, issuedAt: number): string {
  const token = newAccessToken(family.orgId);
  ctx.state.accessTokens.set(token, {
    familyId: family.id,
    clientId: family.clientId,
    orgId: family.orgId,
    userId: family.userId,
    scope: family.scope,
    issuedAt,
    expiresAt: issuedAt + ctx.state.settings.accessTokenLifetimeMs,
    isRevoked: false,
  });
  return token;
}
