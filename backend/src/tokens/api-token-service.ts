import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import { NotFoundError } from '../platform/errors';
import { ApiTokenEntity, type ApiToken } from './api-token-entity';

/** Recognisable prefix, so a leaked token is easy to spot in code or logs scanners. */
const TOKEN_PREFIX = 'tsk_';
/** `last_used_at` is written at most this often per token, not on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

export type PublicApiToken = Omit<ApiToken, 'tokenHash'>;

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class ApiTokenService {
  private readonly tokens: Repository<ApiToken>;

  constructor(private readonly deps: { dataSource: DataSource }) {
    this.tokens = deps.dataSource.getRepository(ApiTokenEntity);
  }

  /** Creates a token and answers it once in plain text; only its SHA-256 is stored. */
  async create(userId: string, name: string): Promise<{ token: string; apiToken: PublicApiToken }> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const saved = await this.tokens.save(this.tokens.create({ userId, name, tokenHash: hashApiToken(token), lastUsedAt: null }));
    return { token, apiToken: { id: saved.id, userId, name: saved.name, createdAt: saved.createdAt, lastUsedAt: null } };
  }

  list(userId: string): Promise<PublicApiToken[]> {
    return this.tokens.find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  /** @throws NotFoundError `api_token_not_found` for a missing token or another user's. */
  async delete(userId: string, id: string): Promise<void> {
    const result = await this.tokens.delete({ id, userId });
    if (!result.affected) throw new NotFoundError('api_token_not_found', 'API token not found');
  }

  /** The user a token belongs to, or null when it does not exist (never issued, or deleted). */
  async authenticate(token: string): Promise<Express.User | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
    const rows: { token_id: string; last_used_at: Date | null; id: string; email: string; created_at: Date }[] = await this.deps.dataSource.query(
      `SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.created_at
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [hashApiToken(token)],
    );
    const row = rows[0];
    if (!row) return null;
    if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.deps.dataSource.query(`UPDATE api_tokens SET last_used_at = now() WHERE id = $1`, [row.token_id]);
    }
    return { id: row.id, email: row.email, createdAt: row.created_at };
  }
}
