import { SEED_ORGS, type HostKey, type SeedOrg, type SeedUser } from './seed';
import type { EmulatorFile } from './rest/rest-files';
import { buildRecord, findSObjectType, type SObjectRecord } from './rest/sobjects';

export interface OrgUser extends SeedUser {
  orgId: string;
  isActive: boolean;
}

export interface Org extends Omit<SeedOrg, 'users' | 'accounts' | 'contacts'> {
  users: OrgUser[];
  /** Records by sObject name, then id. */
  records: Map<string, Map<string, SObjectRecord>>;
  /** Authenticated REST calls counted against the daily allowance (`Sforce-Limit-Info`, `/limits`). */
  apiUsage: number;
  /** The org's daily API request allowance; a REST call once `apiUsage` reaches it answers 403 REQUEST_LIMIT_EXCEEDED. */
  apiDailyLimit: number;
  /** Hosts this org's instance lived on before a move; they still answer its calls. */
  formerInstanceHosts: HostKey[];
}

export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  state?: string;
  scope: string;
  codeChallenge?: string;
  host: HostKey;
  orgId: string;
  createdAt: number;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  scope: string;
  orgId: string;
  userId: string;
  host: HostKey;
  expiresAt: number;
  isUsed: boolean;
}

/** One grant: the refresh tokens it went through and whether it was revoked as a whole. */
export interface TokenFamily {
  id: number;
  clientId: string;
  orgId: string;
  userId: string;
  scope: string;
  /** The host the user authorized on; its identity URL uses the org's login host. */
  host: HostKey;
  refreshToken: string | null;
  /** Refresh tokens rotated out; presenting one again revokes the family (RTR reuse detection). */
  retiredRefreshTokens: Set<string>;
  isRevoked: boolean;
  /** When its refresh token was last used: issued by the code exchange, or last refreshed successfully (ms). */
  lastUsedAt: number;
}

export interface AccessTokenRecord {
  familyId: number | null;
  clientId: string;
  orgId: string;
  userId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  isRevoked: boolean;
}

export type FaultKind = 'request_limit' | 'session_blocked' | 'unavailable';
export type FaultTarget = 'api' | 'token' | 'any';

export interface Fault {
  kind: FaultKind;
  target: FaultTarget;
  remaining: number;
}

export interface RequestLogEntry {
  at: string;
  host: HostKey;
  method: string;
  /** The path only: a query string may carry `oauth_token` or `code`. */
  path: string;
  endpoint: string;
  status: number;
  grantType?: string;
  /** Names of the request headers (never their values), to check what a client forwards. */
  headerNames: string[];
}

const REQUEST_LOG_LIMIT = 2_000;
export const DEFAULT_ACCESS_TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000; // Salesforce's default session timeout
/** Salesforce keeps at most five approvals (refresh-token grants) per user per connected app. */
export const DEFAULT_APPROVALS_PER_USER = 5;
/** The daily API request allowance each seeded org starts with (and returns to on reset). */
export const DEFAULT_API_DAILY_LIMIT = 15_000;

/** Everything the emulator remembers, in memory. `reset()` returns it to the seed. */
export class EmulatorState {
  orgs: Org[] = [];
  pendingAuthorizations = new Map<string, PendingAuthorization>();
  codes = new Map<string, AuthorizationCode>();
  families = new Map<number, TokenFamily>();
  accessTokens = new Map<string, AccessTokenRecord>();
  /** Refresh tokens whose refresh is being processed right now. */
  refreshesInFlight = new Set<string>();
  settings = {
    rotation: false,
    /** Sign token responses with a wrong key, to test that clients verify `signature`. */
    tamperSignatures: false,
    accessTokenLifetimeMs: DEFAULT_ACCESS_TOKEN_LIFETIME_MS,
    /** Approvals kept per (user, client id); a new one beyond it revokes the oldest. */
    approvalsPerUser: DEFAULT_APPROVALS_PER_USER,
    /** How long a refresh token may go unused before a refresh is refused; null: no limit. */
    refreshTokenIdleLifetimeMs: null as number | null,
    delays: { token: 0, api: 0 } as Record<'token' | 'api', number>,
    faults: [] as Fault[],
    /** Orgs whose instance moves to another host at their next refresh. */
    instanceMoves: new Map<string, HostKey>(),
    /**
     * Ids of the users an admin pre-authorized for the Connected App (by profile or permission
     * set): the only ones the JWT bearer flow signs in. Every seeded user by default.
     */
    jwtPreauthorizedUserIds: new Set<string>(),
  };
  /** Files to download (ContentVersion VersionData), made with the control API. */
  files = new Map<string, EmulatorFile>();
  callCounts = new Map<string, number>();
  requestLog: RequestLogEntry[] = [];
  private nextFamilyId = 1;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.orgs = SEED_ORGS.map(seedOrg);
    this.pendingAuthorizations.clear();
    this.codes.clear();
    this.families.clear();
    this.accessTokens.clear();
    this.refreshesInFlight.clear();
    this.settings.rotation = false;
    this.settings.tamperSignatures = false;
    this.settings.accessTokenLifetimeMs = DEFAULT_ACCESS_TOKEN_LIFETIME_MS;
    this.settings.approvalsPerUser = DEFAULT_APPROVALS_PER_USER;
    this.settings.refreshTokenIdleLifetimeMs = null;
    this.settings.delays = { token: 0, api: 0 };
    this.settings.faults = [];
    this.settings.instanceMoves.clear();
    this.settings.jwtPreauthorizedUserIds = new Set(this.orgs.flatMap((org) => org.users.map((user) => user.id)));
    this.files.clear();
    this.callCounts.clear();
    this.requestLog = [];
  }

  newFamilyId(): number {
    return this.nextFamilyId++;
  }

  findOrg(orgId: string): Org | undefined {
    return this.orgs.find((org) => org.id === orgId || org.id.slice(0, 15) === orgId);
  }

  orgByKey(key: string): Org | undefined {
    return this.orgs.find((org) => org.key === key);
  }

  findUser(userId: string): OrgUser | undefined {
    return this.orgs.flatMap((org) => org.users).find((user) => user.id === userId || user.id.slice(0, 15) === userId);
  }

  findUserByUsername(username: string): OrgUser | undefined {
    return this.orgs.flatMap((org) => org.users).find((user) => user.username.toLowerCase() === username.toLowerCase());
  }

  /** The org a host signs users into: a login host's own environment, or the org whose instance (My Domain) it is. */
  orgForHost(host: HostKey): Org | undefined {
    return this.orgs.find((org) => org.loginHost === host) ?? this.orgs.find((org) => org.instanceHost === host || org.formerInstanceHosts.includes(host));
  }

  /** Takes one matching fault off the queue, if any is armed for this kind of call. */
  takeFault(target: 'api' | 'token'): Fault | undefined {
    const fault = this.settings.faults.find((f) => f.remaining > 0 && (f.target === target || f.target === 'any'));
    if (!fault) return undefined;
    fault.remaining -= 1;
    this.settings.faults = this.settings.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  count(endpoint: string): void {
    this.callCounts.set(endpoint, (this.callCounts.get(endpoint) ?? 0) + 1);
  }

  log(entry: RequestLogEntry): void {
    this.requestLog.push(entry);
    if (this.requestLog.length > REQUEST_LOG_LIMIT) this.requestLog.splice(0, this.requestLog.length - REQUEST_LOG_LIMIT);
  }
}

function seedOrg(seed: SeedOrg): Org {
  const { users, accounts, contacts, ...org } = seed;
  const accountType = findSObjectType('Account')!;
  const contactType = findSObjectType('Contact')!;
  const accountRecords = accounts.map((values) => buildRecord(accountType, values));
  const contactRecords = contacts.map(({ account, ...values }) => buildRecord(contactType, { ...values, AccountId: accountRecords[account].Id }));
  return {
    ...org,
    users: users.map((user) => ({ ...user, orgId: seed.id, isActive: true })),
    records: new Map([
      ['Account', new Map(accountRecords.map((r) => [String(r.Id), r]))],
      ['Contact', new Map(contactRecords.map((r) => [String(r.Id), r]))],
    ]),
    apiUsage: 0,
    apiDailyLimit: DEFAULT_API_DAILY_LIMIT,
    formerInstanceHosts: [],
  };
}
