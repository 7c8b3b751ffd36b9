import { EntitySchema } from 'typeorm';

export interface User {
  id: string;
  email: string;
  passwordHash: string;
  createdAt: Date;
}

// EntitySchema instead of decorators: tsx and vitest (esbuild) emit no decorator metadata.
export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    email: { type: 'varchar', length: 254 },
    passwordHash: { type: 'varchar', name: 'password_hash', select: false },
    createdAt: { type: 'timestamptz', name: 'created_at', createDate: true },
  },
});
