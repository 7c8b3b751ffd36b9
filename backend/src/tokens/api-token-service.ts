import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import { ConflictError, NotFoundError } from '../platform/errors';
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

interface CachedToken {
  tokenId: string;
  user: Express.User;
  lastUsedAt: number | null;
}

export class ApiTokenService {
  private readonly tokens: Repository<ApiToken>;
  /** Valid tokens by hash: the proxy's hot path must not query PostgreSQL on every call. */
  private readonly cache = new TtlCache<string, CachedToken>({ ttlMs: 30_000, maxEntries: 10_000 });
  /** Bumped by every change: a lookup that overlapped one is not cached (it may be stale). */
  private generation = 0;

  constructor(private readonly deps: { dataSource: DataSource; changes: ChangeFeed; logger: Logger }) {
    this.tokens = deps.dataSource.getRepository(ApiTokenEntity);
    deps.changes.subscribe((change) => {
      this.generation += 1;
      if (change === 'reset') this.cache.clear();
      else if (change.table === 'api_tokens') this.cache.deleteWhere((entry) => entry.tokenId === change.id);
      else if (change.table === 'users') this.cache.deleteWhere((entry) => entry.user.id === change.id);
    });
  }

  /**
   * Creates a token and answers it once in plain text; only its SHA-256 is stored.
   * @throws ConflictError `api_token_limit_reached` when the user already has MAX_API_TOKENS_PER_USER.
   */
  async create(userId: string, name: string): Promise<{ token: string; apiToken: PublicApiToken }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const saved = await this.deps.dataSource.transaction(async (manager) => {
      // Concurrent creates for one user queue on the user row, so the count below cannot be stale.
      // NO KEY UPDATE: the foreign-key checks of other inserts (KEY SHARE) need not wait.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
      const [{ count }]: [{ count: number }] = await manager.query('SELECT count(*)::int AS count FROM api_tokens WHERE user_id = $1', [userId]);
      if (count >= MAX_API_TOKENS_PER_USER) {
        throw new ConflictError('api_token_limit_reached', `You have reached the limit of ${MAX_API_TOKENS_PER_USER} API tokens per account; delete one you no longer use`);
      }
      const tokens = manager.getRepository(ApiTokenEntity);
      return tokens.save(tokens.create({ userId, name, tokenHash: hashApiToken(token), lastUsedAt: null }));
    });
    return { token, apiToken: { id: saved.id, userId, name: saved.name, createdAt: saved.createdAt, lastUsedAt: null } };
  }

  list(userId: string): Promise<PublicApiToken[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  /** @throws NotFoundError `api_token_not_found` for a missing token or another user's. */
  async delete(userId: string, id: string): Promise<void> {
    const result = await this.tokens.delete({ id, userId });
    if (!result.affected) throw new NotFoundError('api_token_not_found', 'API token not found');
    this.deps.changes.announce('api_tokens', id);
  }

  /**
   * The user a token belongs to, or null when it does not exist (never issued, or deleted).
   * Served from memory while the change feed is live; a deletion anywhere evicts it.
   */
  async authenticate(token: string): Promise<Express.User | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const hash = hashApiToken(token);
    const cached = this.deps.changes.isLive ? this.cache.get(hash) : undefined;
    if (cached) {
      this.recordUse(cached);
      return cached.user;
    }
    const generation = this.generation;
    const rows: { token_id: string; last_used_at: Date | null; id: string; email: string; created_at: Date }[] = await this.deps.dataSource.query(
      `SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.created_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [hash],
    );
    const row = rows[0];
    if (!row) return null;
    const entry: CachedToken = { tokenId: row.token_id, user: { id: row.id, email: row.email, createdAt: row.created_at }, lastUsedAt: row.last_used_at?.getTime() ?? null };
    if (this.deps.changes.isLive && generation === this.generation) this.cache.set(hash, entry);
    this.recordUse(entry);
    return entry.user;
  }

  /** `last_used_at`, written at most once a minute per token and off the request's path. */
  private recordUse(entry: CachedToken): void {
    if (entry.lastUsedAt !== null && Date.now() - entry.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    entry.lastUsedAt = Date.now();
    this.deps.dataSource
      .query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [entry.tokenId])
      .catch((err: unknown) => this.deps.logger.warn({ err }, 'recording an API token use failed'));
  }
}
