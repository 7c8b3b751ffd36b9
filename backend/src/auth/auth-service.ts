import type { DataSource, Repository } from 'typeorm';
import { ConflictError, InvalidCredentialsError } from '../platform/errors';
import { isUniqueViolation } from '../platform/postgres-errors';
import { hashPassword, verifyDecoy, verifyPassword } from './password';
import { UserEntity, type User } from './user-entity';

export type PublicUser = Omit<User, 'passwordHash'>;

export class AuthService {
  private readonly users: Repository<User>;

  constructor(deps: { dataSource: DataSource }) {
    this.users = deps.dataSource.getRepository(UserEntity);
  }

  /** @throws ConflictError `email_taken` when the email (in any case) already has an account. */
  async register(email: string, password: string): Promise<PublicUser> {
    const passwordHash = await hashPassword(password);
    try {
      const saved = await this.users.save(this.users.create({ email, passwordHash }));
      return { id: saved.id, email: saved.email, createdAt: saved.createdAt };
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('email_taken', 'An account with this email already exists');
      throw err;
    }
  }

  /** @throws InvalidCredentialsError for an unknown email or a wrong password alike. */
  async verifyCredentials(email: string, password: string): Promise<PublicUser> {
    const user = await this.users.createQueryBuilder('user').addSelect('user.passwordHash').where('lower(user.email) = lower(:email)', { email }).getOne();
    const isValid = user ? await verifyPassword(user.passwordHash, password) : await verifyDecoy(password);
    if (!user || !isValid) throw new InvalidCredentialsError();
    return { id: user.id, email: user.email, createdAt: user.createdAt };
  }

  async findById(id: string): Promise<PublicUser | null> {
    return this.users.findOne({ where: { id }, select: { id: true, email: true, createdAt: true } });
  }
}
