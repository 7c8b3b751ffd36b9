import { EntitySchema } from 'typeorm';
import type { ApiTokenScope } from '../contract';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  tokenHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  scopes: ApiTokenScope[];
  /** null: every Task of the user. */
  taskIds: string[] | null;
  expiresAt: Date | null;
  /** Written in batches; the in-memory count of the last minute is added when listed. */
  calls: number;
}

export const ApiTokenEntity = new EntitySchema<ApiToken>({
  name: 'ApiToken',
  tableName: 'api_tokens',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    userId: { type: 'uuid', name: 'user_id' },
    name: { type: 'varchar', length: 100 },
    tokenHash: { type: 'char', length: 64, name: 'token_hash', select: false },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
    lastUsedAt: { type: 'timestamptz', name: 'last_used_at', nullable: true },
    scopes: { type: 'text', array: true },
    taskIds: { type: 'uuid', array: true, name: 'task_ids', nullable: true },
    expiresAt: { type: 'timestamptz', name: 'expires_at', nullable: true },
    // bigint comes back as a string from pg: read as a number (counts stay far below 2^53).
    calls: { type: 'bigint', default: 0, transformer: { to: (value: number) => value, from: (value: string | null) => Number(value ?? 0) } },
  },
});
