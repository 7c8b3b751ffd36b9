import type { DataSource, EntityManager } from 'typeorm';
import type { ConnectionEventKind, LastConnectionTest, SalesforceEnvironment } from '../contract';
import { keysetAt, toPage, type Keyset } from '../platform/keyset-cursor';
import { TokenCipher } from '../platform/token-cipher';
import { taskNotFound } from '../tasks/task-service';
import type { ChangeFeed } from '../platform/change-feed';
import { TtlCache } from '../platform/ttl-cache';
import { SalesforceNotConnectedError, SalesforceReauthRequiredError } from './errors';
import type { CheckSchedule } from './check-schedule';
import type { TokenResponse } from './token-response';

/** A Task's decrypted credentials, as SfdcService uses them. Lives in memory only. */
export interface SalesforceCredentials {
  taskId: string;
  accessToken: string;
  refreshToken: string | undefined;
  instanceUrl: string;
  idUrl: string;
  loginUrl: string;
  /** A JWT bearer connection's integration user: on expiry a new assertion is minted for it instead of a refresh. */
  jwtUsername?: string;
}

type Db = DataSource | EntityManager;

/** One entry of the connection's history as stored. */
export interface StoredConnectionEvent {
  id: string;
  at: Date;
  kind: ConnectionEventKind;
  detail: Record<string, unknown>;
}
type StoredSfdc = Record<string, unknown> & { access_token: string; refresh_token?: string; instance_url: string; id: string; login_url: string; status: string; status_reason?: string | null };

/**
 * `tasks.sfdc` and `sfdc_events`: the token response as Salesforce sent it, with both tokens
 * encrypted at this boundary and nowhere else. JSON updates merge (`sfdc || patch`) so that a
 * refresh and a test result written at once do not overwrite each other.
 */
export class CredentialStore {
  /** Decrypted sessions by Task: the proxy's hot path must not query and decrypt on every call. */
  private readonly sessions = new TtlCache<string, { ownerId: string; session: SalesforceCredentials }>({ ttlMs: 30_000, maxEntries: 10_000 });
  /** Bumped by every change: a read that overlapped one is not cached (it may be stale). */
  private generation = 0;

  constructor(
    private readonly deps: {
      dataSource: DataSource;
      cipher: TokenCipher;
      changes: ChangeFeed;
      schedule: CheckSchedule;
      /** Called inside the transaction of every recorded event. */
      onEvent?: (db: EntityManager, taskId: string, kind: ConnectionEventKind, detail: Record<string, unknown>) => Promise<void>;
    },
  ) {
    deps.changes.subscribe((change) => {
      this.generation += 1;
      if (change === 'reset') this.sessions.clear();
      else if (change.table === 'tasks') this.sessions.delete(change.id);
      else if (change.table === 'users') this.sessions.deleteWhere((entry) => entry.ownerId === change.id);
    });
  }

  /**
   * The live session of a Task (of this user, when `ownerId` is given).
   * @throws NotFoundError `task_not_found`, SalesforceNotConnectedError, SalesforceReauthRequiredError
   */
  async getCredentials(taskId: string, options: { ownerId?: string } = {}): Promise<SalesforceCredentials> {
    const cached = this.deps.changes.isLive ? this.sessions.get(taskId) : undefined;
    if (cached && (!options.ownerId || cached.ownerId === options.ownerId)) return cached.session;
    const generation = this.generation;
    const rows: { sfdc: StoredSfdc | null; user_id: string }[] = options.ownerId
      ? await this.deps.dataSource.query('SELECT sfdc, user_id FROM tasks WHERE id = $1 AND user_id = $2', [taskId, options.ownerId])
      : await this.deps.dataSource.query('SELECT sfdc, user_id FROM tasks WHERE id = $1', [taskId]);
    if (!rows.length) throw taskNotFound(); // missing, or not this user's: the same 404
    const stored = rows[0].sfdc;
    if (!stored) throw new SalesforceNotConnectedError();
    if (stored.status === 'reconnect_needed') throw new SalesforceReauthRequiredError(String(stored.status_reason ?? 'Salesforce access was revoked'));
    const session = this.toCredentials(taskId, stored);
    if (this.deps.changes.isLive && generation === this.generation) this.sessions.set(taskId, { ownerId: rows[0].user_id, session });
    return session;
  }

  /** The stored `sfdc` column; undefined when the Task is missing (or not the owner's), null when not connected. */
  async readStored(taskId: string, options: { ownerId?: string; db?: Db } = {}): Promise<StoredSfdc | null | undefined> {
    const db = options.db ?? this.deps.dataSource;
    const rows: { sfdc: StoredSfdc | null }[] = options.ownerId
      ? await db.query('SELECT sfdc FROM tasks WHERE id = $1 AND user_id = $2', [taskId, options.ownerId])
      : await db.query('SELECT sfdc FROM tasks WHERE id = $1', [taskId]);
    return rows.length ? rows[0].sfdc : undefined;
  }

  /** Every stored connection of the user's Tasks, whatever its state (to revoke them all when the account goes). */
  async listStoredOf(ownerId: string): Promise<{ taskId: string; stored: StoredSfdc }[]> {
    const rows: { id: string; sfdc: StoredSfdc }[] = await this.deps.dataSource.query('SELECT id, sfdc FROM tasks WHERE user_id = $1 AND sfdc IS NOT NULL', [ownerId]);
    return rows.map((row) => ({ taskId: row.id, stored: row.sfdc }));
  }

  /** @throws SalesforceReauthRequiredError when the tokens cannot be decrypted for this Task (moved from another row, or another key). */
  toCredentials(taskId: string, stored: StoredSfdc): SalesforceCredentials {
    return {
      taskId,
      accessToken: this.open(taskId, stored.access_token),
      refreshToken: stored.refresh_token ? this.open(taskId, stored.refresh_token) : undefined,
      instanceUrl: stored.instance_url,
      idUrl: stored.id,
      loginUrl: stored.login_url,
      ...(stored.connection_type === 'jwt_bearer' && typeof stored.jwt_username === 'string' ? { jwtUsername: stored.jwt_username } : {}),
    };
  }

  /** Stores a new connection (replacing any old one) and its `connected` event, in one transaction. */
  async saveConnection(taskId: string, token: TokenResponse, extra: { identity: Record<string, unknown>; loginUrl: string; environment: SalesforceEnvironment; jwtUsername?: string }): Promise<void> {
    const now = new Date().toISOString();
    const firstCheck = this.deps.schedule.first();
    const sfdc = {
      ...token,
      ...this.sealTokens(taskId, token),
      identity: extra.identity,
      login_url: extra.loginUrl,
      environment: extra.environment,
      connection_type: extra.jwtUsername ? 'jwt_bearer' : 'web_server',
      ...(extra.jwtUsername ? { jwt_username: extra.jwtUsername } : {}),
      status: 'connected',
      status_reason: null,
      connected_at: now,
      refreshed_at: null,
      last_test: null,
      health: { state: 'healthy', reason: null, checked_at: null, next_check_at: firstCheck?.toISOString() ?? null, failures: 0 },
    };
    await this.deps.dataSource.transaction(async (db) => {
      await db.query('UPDATE tasks SET sfdc = $2, health_check_due_at = $3, updated_at = now() WHERE id = $1', [taskId, sfdc, firstCheck]);
      await this.recordEvent(taskId, 'connected', { username: extra.identity.username, organization_id: extra.identity.organization_id, environment: extra.environment }, db);
    });
    this.deps.changes.announce('tasks', taskId);
  }

  /**
   * Takes the Task's refresh lease when the rejected token is still the stored one and nobody
   * else holds an unexpired lease. One short transaction: no connection is held while the
   * caller then talks to Salesforce.
   */
  async claimRefresh(taskId: string, rejectedAccessToken: string, lease: { owner: string; ms: number }): Promise<RefreshClaim> {
    const claim = await this.deps.dataSource.transaction(async (db): Promise<RefreshClaim> => {
      const rows: { sfdc: StoredSfdc | null; leased: boolean }[] = await db.query('SELECT sfdc, (refresh_lease_until > now()) AS leased FROM tasks WHERE id = $1 FOR UPDATE', [taskId]);
      const stored = rows[0]?.sfdc;
      if (!stored) return { kind: 'not_connected' };
      if (stored.status === 'reconnect_needed') return { kind: 'reconnect_needed', reason: String(stored.status_reason ?? 'Salesforce access was revoked') };
      const session = this.toCredentials(taskId, stored);
      if (session.accessToken !== rejectedAccessToken) return { kind: 'replaced', session };
      if (rows[0].leased) return { kind: 'busy' };
      if (!session.refreshToken && !session.jwtUsername) {
        const reason = 'the connection has no refresh token';
        await this.markReconnectNeeded(db, taskId, reason);
        return { kind: 'reconnect_needed', reason };
      }
      await db.query(`UPDATE tasks SET refresh_lease_owner = $2, refresh_lease_until = now() + make_interval(secs => $3) WHERE id = $1`, [taskId, lease.owner, lease.ms / 1000]);
      return { kind: 'leased', session };
    });
    if (claim.kind === 'reconnect_needed') this.deps.changes.announce('tasks', taskId);
    return claim;
  }

  /**
   * Stores a refresh (new access token, instance_url, issued_at, signature, id, and the rotated
   * refresh token when one came back) and its event, and ends the lease, only if the lease is
   * still `owner`'s. Answers false when it was not (it expired and another instance took over).
   */
  async completeRefresh(taskId: string, owner: string, token: TokenResponse, detail: Record<string, unknown>): Promise<boolean> {
    const patch = {
      ...this.sealTokens(taskId, token),
      instance_url: token.instance_url,
      issued_at: token.issued_at,
      signature: token.signature,
      id: token.id,
      ...(token.scope ? { scope: token.scope } : {}),
      refreshed_at: new Date().toISOString(),
    };
    const stored = await this.deps.dataSource.transaction(async (db) => {
      const [rows] = await db.query(
        `UPDATE tasks SET sfdc = sfdc || $3::jsonb, refresh_lease_owner = NULL, refresh_lease_until = NULL
         WHERE id = $1 AND refresh_lease_owner = $2 AND sfdc IS NOT NULL RETURNING id`,
        [taskId, owner, patch],
      );
      if (!rows.length) return false;
      await this.recordEvent(taskId, 'refreshed', detail, db);
      return true;
    });
    this.deps.changes.announce('tasks', taskId);
    return stored;
  }

  /** Ends the lease (a failed refresh), marking the connection dead first when Salesforce said it is. */
  async endRefresh(taskId: string, owner: string, outcome: { reconnectNeeded?: { reason: string; code: string; description: string } } = {}): Promise<void> {
    await this.deps.dataSource.transaction(async (db) => {
      const [rows] = await db.query('UPDATE tasks SET refresh_lease_owner = NULL, refresh_lease_until = NULL WHERE id = $1 AND refresh_lease_owner = $2 RETURNING id', [taskId, owner]);
      const dead = outcome.reconnectNeeded;
      // The event keeps Salesforce's own words too, for whoever investigates.
      if (rows.length && dead) await this.markReconnectNeeded(db, taskId, dead.reason, { kind: 'reconnect_needed', detail: { code: dead.code, salesforce_message: dead.description.slice(0, 200) } });
    });
    if (outcome.reconnectNeeded) this.deps.changes.announce('tasks', taskId);
  }

  /**
   * Salesforce refused the connection for good: no further call (and no background check) until
   * the user reconnects. `reason` is in words a person understands; `detail` goes to the event.
   */
  private async markReconnectNeeded(
    db: EntityManager,
    taskId: string,
    reason: string,
    event: { kind: 'reconnect_needed' | 'evicted'; detail?: Record<string, unknown> } = { kind: 'reconnect_needed' },
  ): Promise<void> {
    await db.query(
      `UPDATE tasks SET health_check_due_at = NULL,
         sfdc = sfdc || jsonb_build_object('status', 'reconnect_needed', 'status_reason', $2::text,
           'health', coalesce(sfdc->'health', '{}'::jsonb) || jsonb_build_object('state', 'reconnect_needed', 'reason', $2::text, 'next_check_at', null))
       WHERE id = $1 AND sfdc IS NOT NULL`,
      [taskId, reason],
    );
    await this.recordEvent(taskId, event.kind, { reason, ...event.detail }, db);
  }

  /**
   * Marks connections that Salesforce has revoked because newer ones were approved for the same
   * Salesforce user (it keeps five per user per connected app): the oldest beyond `keep`, counted
   * over every Task of this app connected as that org + user. Answers who was evicted.
   */
  async markEvicted(
    newest: { taskId: string; organizationId: string; userId: string },
    keep: number,
    reasonFor: (evicted: { ownerId: string }) => string,
  ): Promise<{ taskId: string; ownerId: string }[]> {
    const evicted = await this.deps.dataSource.transaction(async (db) => {
      const rows: { id: string; user_id: string }[] = await db.query(
        `SELECT id, user_id FROM tasks
         WHERE sfdc->>'status' = 'connected' AND sfdc->'identity'->>'organization_id' = $1 AND sfdc->'identity'->>'user_id' = $2
         ORDER BY (sfdc->>'connected_at') DESC, id DESC OFFSET $3 FOR UPDATE`,
        [newest.organizationId, newest.userId, keep],
      );
      for (const row of rows) {
        await this.markReconnectNeeded(db, row.id, reasonFor({ ownerId: row.user_id }), { kind: 'evicted', detail: { by_task_id: newest.taskId } });
      }
      return rows.map((row) => ({ taskId: row.id, ownerId: row.user_id }));
    });
    for (const { taskId } of evicted) this.deps.changes.announce('tasks', taskId);
    return evicted;
  }

  /**
   * Re-seals tokens stored before they were bound to their Task (`v1.`), once, at start-up.
   * Idempotent and safe with several instances starting at once (row locks, re-checked).
   */
  async sealLegacyTokens(): Promise<number> {
    const ids: { id: string }[] = await this.deps.dataSource.query(`SELECT id FROM tasks WHERE sfdc->>'access_token' LIKE 'v1.%' OR sfdc->>'refresh_token' LIKE 'v1.%'`);
    for (const { id } of ids) {
      await this.deps.dataSource.transaction(async (db) => {
        const rows: { sfdc: StoredSfdc | null }[] = await db.query('SELECT sfdc FROM tasks WHERE id = $1 FOR UPDATE', [id]);
        const stored = rows[0]?.sfdc;
        if (!stored) return;
        const patch: Record<string, string> = {};
        for (const field of ['access_token', 'refresh_token'] as const) {
          const value = stored[field];
          if (TokenCipher.isLegacy(value)) patch[field] = this.deps.cipher.encrypt(this.deps.cipher.unsealLegacy(value!), boundTo(id));
        }
        await db.query('UPDATE tasks SET sfdc = sfdc || $2::jsonb WHERE id = $1', [id, patch]);
      });
    }
    return ids.length;
  }

  async saveLastTest(taskId: string, lastTest: LastConnectionTest): Promise<void> {
    await this.deps.dataSource.query(`UPDATE tasks SET sfdc = sfdc || jsonb_build_object('last_test', $2::jsonb) WHERE id = $1 AND sfdc IS NOT NULL`, [taskId, lastTest]);
  }

  /** Clears the connection; answers what was stored (to revoke its refresh token), or null. */
  /**
   * Clears the connection and records the `disconnected` event (with its webhooks) in the same
   * transaction. Answers what was stored (to revoke its refresh token afterwards), or null.
   */
  async clear(taskId: string, ownerId: string): Promise<StoredSfdc | null> {
    return this.deps.dataSource
      .transaction(async (db) => {
        const rows: { sfdc: StoredSfdc | null }[] = await db.query('SELECT sfdc FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE', [taskId, ownerId]);
        const stored = rows[0]?.sfdc ?? null;
        if (stored) {
          await db.query('UPDATE tasks SET sfdc = NULL, health_check_due_at = NULL, updated_at = now() WHERE id = $1', [taskId]);
          await this.recordEvent(taskId, 'disconnected', { revoked: null }, db);
        }
        return stored;
      })
      .finally(() => this.deps.changes.announce('tasks', taskId));
  }

  /** Completes the newest `disconnected` event with whether Salesforce confirmed the revocation. */
  async noteRevocation(taskId: string, revoked: boolean): Promise<void> {
    await this.deps.dataSource.query(
      `UPDATE sfdc_events SET detail = detail || jsonb_build_object('revoked', $2::boolean)
       WHERE id = (SELECT id FROM sfdc_events WHERE task_id = $1 AND kind = 'disconnected' ORDER BY at DESC, id DESC LIMIT 1)`,
      [taskId, revoked],
    );
  }

  /**
   * Adds to the connection's history, and lets the listener (the webhook outbox) act in the same
   * transaction: a change, its event and its webhooks commit together or not at all.
   */
  async recordEvent(taskId: string, kind: ConnectionEventKind, detail: Record<string, unknown>, db?: EntityManager): Promise<void> {
    if (!db) return this.deps.dataSource.transaction((tx) => this.recordEvent(taskId, kind, detail, tx));
    await db.query('INSERT INTO sfdc_events (task_id, kind, detail) VALUES ($1, $2, $3)', [taskId, kind, detail]);
    await this.deps.onEvent?.(db, taskId, kind, detail);
  }

  /** One page of the connection's history, newest first, keyset-paged on (at, id) by `sfdc_events_task_id_at_idx`. */
  async listEvents(taskId: string, page: { limit: number; after?: Keyset }): Promise<{ events: StoredConnectionEvent[]; nextCursor: string | null }> {
    const after = page.after ? 'AND (e.at, e.id) < ($3::timestamptz, $4::bigint)' : '';
    // `e.id`, not `id`: a bare name in ORDER BY is the output column, here the text form, which sorts 10 before 9.
    const rows: (StoredConnectionEvent & { cursor_at: string })[] = await this.deps.dataSource.query(
      `SELECT e.id::text AS id, e.at, e.kind, e.detail, ${keysetAt('e.at')} AS cursor_at FROM sfdc_events e WHERE e.task_id = $1 ${after} ORDER BY e.at DESC, e.id DESC LIMIT $2`,
      [taskId, page.limit + 1, ...(page.after ? [page.after.at, page.after.id] : [])],
    );
    const { rows: events, nextCursor } = toPage(rows, page.limit);
    return { events, nextCursor };
  }

  /** The refresh token of a connection being cleared or replaced (to revoke it); undefined when none or unreadable. */
  decryptRefreshToken(taskId: string, stored: StoredSfdc): string | undefined {
    if (!stored.refresh_token) return undefined;
    try {
      return this.deps.cipher.decrypt(stored.refresh_token, boundTo(taskId));
    } catch {
      return undefined;
    }
  }

  /** The access token of a connection being cleared (a JWT bearer connection has no refresh token to revoke). */
  decryptAccessToken(taskId: string, stored: StoredSfdc): string | undefined {
    try {
      return this.deps.cipher.decrypt(stored.access_token, boundTo(taskId));
    } catch {
      return undefined;
    }
  }

  private sealTokens(taskId: string, token: TokenResponse): { access_token: string; refresh_token?: string } {
    return {
      access_token: this.deps.cipher.encrypt(token.access_token, boundTo(taskId)),
      ...(token.refresh_token ? { refresh_token: this.deps.cipher.encrypt(token.refresh_token, boundTo(taskId)) } : {}),
    };
  }

  private open(taskId: string, sealed: string): string {
    try {
      return this.deps.cipher.decrypt(sealed, boundTo(taskId));
    } catch {
      throw new SalesforceReauthRequiredError('the stored Salesforce credentials cannot be read for this Task (copied from another Task, or encrypted with another key)');
    }
  }
}

/** Tokens are sealed to their Task: copied into another Task's row, they do not decrypt. */
function boundTo(taskId: string): string {
  return `task:${taskId}`;
}

export type RefreshClaim =
  | { kind: 'leased'; session: SalesforceCredentials }
  | { kind: 'replaced'; session: SalesforceCredentials }
  | { kind: 'busy' }
  | { kind: 'reconnect_needed'; reason: string }
  | { kind: 'not_connected' };
