import type { DataSource } from 'typeorm';
import type { ChangeFeed } from '../platform/change-feed';
import { AppError } from '../platform/errors';
import type { Logger } from '../platform/logger';
import type { BrowserSessions } from './browser-sessions';
import { hashPassword, verifyPassword } from './password';

/** The password given to confirm an account change is not the account's: 400, and nothing changed. */
export class WrongPasswordError extends AppError {
  readonly status = 400;
  readonly code = 'wrong_password';
  constructor() {
    super('The password is not correct');
  }
}

export interface AccountDeps {
  dataSource: DataSource;
  sessions: BrowserSessions;
  changes: ChangeFeed;
  logger: Logger;
  /**
   * Revokes every Salesforce connection of the user at Salesforce, best effort. Injected (the
   * composition root passes the connector's), because accounts sit below Salesforce in the
   * layers: this folder may not import it.
   */
  revokeSalesforceConnections: (userId: string) => Promise<void>;
}

/** The signed-in user's own account: changing its password and deleting it with everything it owns. */
export class AccountService {
  constructor(private readonly deps: AccountDeps) {}

  /** Whether `password` is the user's (a missing user has none). */
  async hasPassword(userId: string, password: string): Promise<boolean> {
    const rows: { password_hash: string }[] = await this.deps.dataSource.query('SELECT password_hash FROM users WHERE id = $1', [userId]);
    return rows.length > 0 && (await verifyPassword(rows[0].password_hash, password));
  }

  /**
   * Stores the new password and ends every session of the user but `keepSid`, in one transaction:
   * whoever else was signed in (perhaps with the old password) is out at once.
   */
  async changePassword(userId: string, newPassword: string, keepSid: string): Promise<void> {
    const passwordHash = await hashPassword(newPassword);
    const ended = await this.deps.dataSource.transaction(async (db) => {
      await db.query('UPDATE users SET password_hash = $2 WHERE id = $1', [userId, passwordHash]);
      return this.deps.sessions.endAllBut(db, userId, keepSid);
    });
    this.deps.logger.info({ userId, endedSessions: ended }, 'password changed');
  }

  /**
   * Revokes the user's Salesforce connections at Salesforce first (a failure there is logged and
   * does not stop the deletion: the user asked to leave), then deletes everything the user owns
   * and the user, in one transaction. Revoking first means a crash in between leaves rows that
   * hold dead grants, never live grants that nobody holds the tokens to revoke any more.
   */
  async deleteAccount(userId: string): Promise<void> {
    await this.deps.revokeSalesforceConnections(userId).catch((err: unknown) => {
      this.deps.logger.error({ err, userId }, 'revoking salesforce connections before deleting the account failed; deleting anyway');
    });
    await this.deps.dataSource.transaction(async (db) => {
      // Waits for (and then blocks) a Task or API token being created for this user meanwhile.
      await db.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      // Most of these also go by ON DELETE CASCADE; spelled out so that nothing depends on every
      // future table remembering to cascade, and the session table (no foreign key) goes too.
      await db.query('DELETE FROM webhook_deliveries WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE user_id = $1)', [userId]);
      await db.query('DELETE FROM webhook_endpoints WHERE user_id = $1', [userId]);
      await db.query('DELETE FROM sfdc_oauth_states WHERE user_id = $1', [userId]);
      await db.query('DELETE FROM sfdc_events WHERE task_id IN (SELECT id FROM tasks WHERE user_id = $1)', [userId]);
      await db.query('DELETE FROM tasks WHERE user_id = $1', [userId]);
      await db.query('DELETE FROM api_tokens WHERE user_id = $1', [userId]);
      await this.deps.sessions.endAllBut(db, userId, undefined);
      await db.query('DELETE FROM users WHERE id = $1', [userId]);
    });
    // Caches here drop the user's API tokens and Salesforce credentials at once; other instances hear the triggers.
    this.deps.changes.announce('users', userId);
    this.deps.logger.info({ userId }, 'account deleted');
  }
}
