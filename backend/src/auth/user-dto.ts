export interface UserDto {
  id: string;
  email: string;
  created_at: string;
}

export function toUserDto(user: Express.User): UserDto {
  return { id: user.id, email: user.email, created_at: user.createdAt.toISOString() };
}
