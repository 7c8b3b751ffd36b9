import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import type { ApiTokenScope } from '../contract';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors';
import { ApiTokenEntity, type ApiToken } from './api-token-entity';
import type { ChangeFeed } from '../platform/change-feed';
import type { Logger } from '../platform/logger';
import { TtlCache } from '../platform/ttl-cache';

/** Recognisable prefix, so a leaked token is easy to spot in code or logs scanners. */
const TOKEN_PREFIX = 'tsk_';
/** `last_used_at` is written at most this often per token, not on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** API tokens one account may hold: each is a standing credential, and the list is never paged. */
export const MAX_API_TOKENS_PER_USER = 100;

export type PublicApiToken = Omit<ApiToken, 'tokenHash'>;

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a request made with an API token may do (set on the request by bearer auth). */
export interface ApiTokenGrant {
  tokenId: string;
  scopes: ApiTokenScope[];
  /** null: every Task of the user. */
  taskIds: string[] | null;
}

interface CachedToken extends ApiTokenGrant {
  user: Express.User;
  expiresAt: number | null;
  lastUsedAt: number | null;
}

export class ApiTokenService {
  private readonly tokens: Repository<ApiToken>;
  /** Valid tokens by hash: the proxy's hot path must not query PostgreSQL on every call. */
  private readonly cache = new TtlCache<string, CachedToken>({ ttlMs: 30_000, maxEntries: 10_000 });
  /** Bumped by every change: a lookup that overlapped one is not cached (it may be stale). */
  private generation = 0;
  /** Calls per token not yet written: counted in memory, written with `last_used_at` at most once a minute per token. */
  private readonly unwrittenCalls = new Map<string, number>();
  private readonly flushTimer: NodeJS.Timeout;

  constructor(private readonly deps: { dataSource: DataSource; changes: ChangeFeed; logger: Logger }) {
    this.tokens = deps.dataSource.getRepository(ApiTokenEntity);
    this.flushTimer = setInterval(() => void this.flushCalls(), LAST_USED_RESOLUTION_MS).unref();
    deps.changes.subscribe((change) => {
      this.generation += 1;
      if (change === 'reset') this.cache.clear();
      else if (change.table === 'api_tokens') this.cache.deleteWhere((entry) => entry.tokenId === change.id);
      else if (change.table === 'users') this.cache.deleteWhere((entry) => entry.user.id === change.id);
    });
  }

  /**
   * Creates a token and answers it once in plain text; only its SHA-256 is stored.
   * @throws ConflictError `api_token_limit_reached`; ValidationError when `task_ids` names a Task that is not the user's.
   */
  async create(userId: string, input: { name: string; scopes: ApiTokenScope[]; task_ids?: string[]; expires_at?: string }): Promise<{ token: string; apiToken: PublicApiToken }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const saved = await this.deps.dataSource.transaction(async (manager) => {
      // Concurrent creates for one user queue on the user row, so the count below cannot be stale.
      // NO KEY UPDATE: the foreign-key checks of other inserts (KEY SHARE) need not wait.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
      const [{ count }]: [{ count: number }] = await manager.query('SELECT count(*)::int AS count FROM api_tokens WHERE user_id = $1', [userId]);
      if (count >= MAX_API_TOKENS_PER_USER) {
        throw new ConflictError('api_token_limit_reached', `You have reached the limit of ${MAX_API_TOKENS_PER_USER} API tokens per account; delete one you no longer use`);
      }
      const taskIds = input.task_ids ? [...new Set(input.task_ids.map((id) => id.toLowerCase()))] : null;
      if (taskIds) {
        const [{ owned }]: [{ owned: number }] = await manager.query('SELECT count(*)::int AS owned FROM tasks WHERE user_id = $1 AND id = ANY($2::uuid[])', [userId, taskIds]);
        if (owned !== taskIds.length) throw new ValidationError([{ path: 'task_ids', message: 'names a Task that does not exist' }]);
      }
      const tokens = manager.getRepository(ApiTokenEntity);
      return tokens.save(
        tokens.create({
          userId,
          name: input.name,
          tokenHash: hashApiToken(token),
          lastUsedAt: null,
          scopes: [...new Set(input.scopes)],
          taskIds,
          expiresAt: input.expires_at ? new Date(input.expires_at) : null,
          calls: 0,
        }),
      );
    });
    const { tokenHash: _hash, ...apiToken } = saved;
    return { token, apiToken: { ...apiToken, calls: 0 } };
  }

  /** The user's tokens, newest first; `calls` includes the ones not written yet. */
  async list(userId: string): Promise<PublicApiToken[]> {
    const tokens = await this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
    return tokens.map((token) => ({ ...token, calls: token.calls + (this.unwrittenCalls.get(token.id) ?? 0) }));
  }

  /** @throws NotFoundError `api_token_not_found` for a missing token or another user's. */
  async delete(userId: string, id: string): Promise<void> {
    const result = await this.tokens.delete({ id, userId });
    if (!result.affected) throw new NotFoundError('api_token_not_found', 'API token not found');
    this.unwrittenCalls.delete(id);
    this.deps.changes.announce('api_tokens', id);
  }

  /**
   * The user a token belongs to and what it may do, or null when it does not exist (never
   * issued, or deleted). Served from memory while the change feed is live; a deletion anywhere
   * evicts it.
   * @throws TokenExpiredError once past its `expires_at`.
   */
  async authenticate(token: string): Promise<{ user: Express.User; grant: ApiTokenGrant } | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const hash = hashApiToken(token);
    let entry = this.deps.changes.isLive ? this.cache.get(hash) : undefined;
    if (!entry) {
      const generation = this.generation;
      const rows: { token_id: string; last_used_at: Date | null; scopes: ApiTokenScope[]; task_ids: string[] | null; expires_at: Date | null; id: string; email: string; created_at: Date }[] =
        await this.deps.dataSource.query(
          `SELECT t.id AS token_id, t.last_used_at, t.scopes, t.task_ids, t.expires_at, u.id, u.email, u.created_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = $1`,
          [hash],
        );
      const row = rows[0];
      if (!row) return null;
      entry = {
        tokenId: row.token_id,
        user: { id: row.id, email: row.email, createdAt: row.created_at },
        scopes: row.scopes,
        taskIds: row.task_ids,
        expiresAt: row.expires_at?.getTime() ?? null,
        lastUsedAt: row.last_used_at?.getTime() ?? null,
      };
      if (this.deps.changes.isLive && generation === this.generation) this.cache.set(hash, entry);
    }
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) throw new TokenExpiredError();
    this.recordUse(entry);
    return { user: entry.user, grant: { tokenId: entry.tokenId, scopes: entry.scopes, taskIds: entry.taskIds } };
  }

  /** Writes the calls counted so far, and stops the periodic writes (at shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.flushTimer);
    await this.flushCalls();
  }

  /** Writes the calls counted so far: a batch a minute, whatever the traffic. */
  async flushCalls(): Promise<void> {
    await Promise.all([...this.unwrittenCalls.keys()].map((tokenId) => this.writeUse(tokenId)));
  }

  /** Counts the call; `last_used_at` and the count are written at most once a minute per token, off the request's path. */
  private recordUse(entry: CachedToken): void {
    this.unwrittenCalls.set(entry.tokenId, (this.unwrittenCalls.get(entry.tokenId) ?? 0) + 1);
    if (entry.lastUsedAt !== null && Date.now() - entry.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    entry.lastUsedAt = Date.now();
    void this.writeUse(entry.tokenId);
  }

  private async writeUse(tokenId: string): Promise<void> {
    const calls = this.unwrittenCalls.get(tokenId) ?? 0;
    this.unwrittenCalls.delete(tokenId);
    try {
      await this.deps.dataSource.query(`UPDATE api_tokens SET last_used_at = now(), calls = calls + $2 WHERE id = $1`, [tokenId, calls]);
    } catch (err) {
      this.unwrittenCalls.set(tokenId, (this.unwrittenCalls.get(tokenId) ?? 0) + calls); // not lost: written next time
      this.deps.logger.warn({ err }, 'recording an API token use failed');
    }
  }
}

export class TokenExpiredError extends AppError {
  readonly status = 401;
  readonly code = 'token_expired';
  constructor() {
    super('This API token has expired; create a new one');
  }
}
