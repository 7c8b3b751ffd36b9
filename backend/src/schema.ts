import { UserEntity } from './auth/user-entity';
import { Init1764300000000 } from './migrations/1764300000000-init';
import { OAuthStates1764400000000 } from './migrations/1764400000000-oauth-states';
import { ChangeNotifications1764500000000 } from './migrations/1764500000000-change-notifications';
import { RefreshLeases1764600000000 } from './migrations/1764600000000-refresh-leases';
import { HealthChecks1764700000000 } from './migrations/1764700000000-health-checks';
import { Webhooks1764800000000 } from './migrations/1764800000000-webhooks';
import { ScopedTokens1764900000000 } from './migrations/1764900000000-scoped-tokens';
import { SessionUserIndex1765030000000 } from './migrations/1765030000000-session-user-index';
import { RetentionIndexes1765100000000 } from './migrations/1765100000000-retention-indexes';
import { KeysetPaging1765200000000 } from './migrations/1765200000000-keyset-paging';
import { SessionNotifications1765300000000 } from './migrations/1765300000000-session-notifications';
import type { Schema } from './platform/data-source';
import { ConnectionEventEntity } from './salesforce/connection-event-entity';
import { TaskEntity } from './tasks/task-entity';
import { ApiTokenEntity } from './tokens/api-token-entity';

/**
 * The database schema: every entity, and every migration in order. Listed by hand so that tsc
 * output, tsx and vitest all see the same set. Migrations are the only way the schema changes.
 */
export const SCHEMA: Schema = {
  entities: [UserEntity, TaskEntity, ApiTokenEntity, ConnectionEventEntity],
  migrations: [
    Init1764300000000,
    OAuthStates1764400000000,
    ChangeNotifications1764500000000,
    RefreshLeases1764600000000,
    HealthChecks1764700000000,
    Webhooks1764800000000,
    ScopedTokens1764900000000,
    SessionUserIndex1765030000000,
    RetentionIndexes1765100000000,
    KeysetPaging1765200000000,
    SessionNotifications1765300000000,
  ],
};
