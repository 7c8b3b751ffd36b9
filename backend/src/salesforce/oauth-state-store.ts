import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TooManyRequestsError } from '../platform/errors';
import type { TokenCipher } from '../platform/token-cipher';
import type { SalesforceEnvironment } from '../contract';

const STATE_TTL_MINUTES = 10;
/** Unexpired states one user may hold: each authorize stores one, and nothing else bounds them. */
export const MAX_PENDING_STATES_PER_USER = 20;

export interface PendingConnection {
  userId: string;
  taskId: string;
  environment: SalesforceEnvironment;
  loginUrl: string;
  codeVerifier: string;
}

/**
 * The OAuth `state`, kept server-side: 256 random bits, bound to the user and the Task with the
 * PKCE verifier and the login host, one-time, expiring in 10 minutes. Only its SHA-256 is
 * stored, and the verifier is encrypted.
 */
export class OAuthStateStore {
  constructor(private readonly deps: { dataSource: DataSource; cipher: TokenCipher }) {}

  async create(pending: PendingConnection): Promise<{ state: string; codeChallenge: string }> {
    const state = randomBytes(32).toString('base64url');
    await this.deps.dataSource.query('DELETE FROM sfdc_oauth_states WHERE expires_at < now()');
    await this.deps.dataSource.transaction(async (manager) => {
      // Concurrent authorizes for one user queue on the user row, so the count below cannot be stale.
      // NO KEY UPDATE: the foreign-key checks of other inserts (KEY SHARE) need not wait.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [pending.userId]);
      const [{ count }]: [{ count: number }] = await manager.query('SELECT count(*)::int AS count FROM sfdc_oauth_states WHERE user_id = $1 AND expires_at > now()', [pending.userId]);
      if (count >= MAX_PENDING_STATES_PER_USER) {
        throw new TooManyRequestsError('too_many_pending_authorizations', `Too many Salesforce sign-ins in progress; finish one, or try again when they expire (after ${STATE_TTL_MINUTES} minutes)`);
      }
      await manager.query(
        `INSERT INTO sfdc_oauth_states (state_hash, user_id, task_id, environment, login_url, code_verifier, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + interval '${STATE_TTL_MINUTES} minutes')`,
        [hash(state), pending.userId, pending.taskId, pending.environment, pending.loginUrl, this.deps.cipher.encrypt(pending.codeVerifier, boundTo(state))],
      );
    });
    return { state, codeChallenge: createHash('sha256').update(pending.codeVerifier).digest('base64url') };
  }

  /**
   * Takes the state if it exists, is unexpired and belongs to this user; it can never be used again.
   * Another user's state is left alone (so a stranger cannot burn it) and answers undefined.
   */
  async consume(state: string, userId: string): Promise<PendingConnection | undefined> {
    const [rows]: [{ user_id: string; task_id: string; environment: SalesforceEnvironment; login_url: string; code_verifier: string }[]] = await this.deps.dataSource.query(
      `DELETE FROM sfdc_oauth_states WHERE state_hash = $1 AND user_id = $2 AND expires_at > now()
       RETURNING user_id, task_id, environment, login_url, code_verifier`,
      [hash(state), userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { userId: row.user_id, taskId: row.task_id, environment: row.environment, loginUrl: row.login_url, codeVerifier: this.deps.cipher.decrypt(row.code_verifier, boundTo(state)) };
  }
}

export function newCodeVerifier(): string {
  return randomBytes(48).toString('base64url'); // 64 characters, within RFC 7636's 43–128
}

/** The verifier is sealed to its own state: moved to another row, it does not decrypt. */
function boundTo(state: string): string {
  return `oauth-state:${hash(state)}`;
}

function hash(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}
