import type { User } from '../contract';

export function toUserDto(user: Express.User): User {
  return { id: user.id, email: user.email, created_at: user.createdAt.toISOString() };
}
