import type { DataSource, Repository } from 'typeorm';
import { ConflictError, InvalidCredentialsError } from '../platform/errors';
import type { ChangeFeed } from '../platform/change-feed';
import { isUniqueViolation } from '../platform/postgres-errors';
import { TtlCache } from '../platform/ttl-cache';
import { hashPassword, verifyDecoy, verifyPassword } from './password';
import { UserEntity, type User } from './user-entity';

export type PublicUser = Omit<User, 'passwordHash'>;

/** A signed-in user is looked up on every request; the account rarely changes, and its deletion is announced. */
const USER_CACHE_TTL_MS = 60_000;

export class AuthService {
  private readonly users: Repository<User>;
  private readonly cache = new TtlCache<string, PublicUser>({ ttlMs: USER_CACHE_TTL_MS, maxEntries: 100_000 });
  private generation = 0;

  constructor(private readonly deps: { dataSource: DataSource; changes: ChangeFeed }) {
    this.users = deps.dataSource.getRepository(UserEntity);
    // A deleted account must sign out everywhere at once: its cached copy goes with it (every instance hears it).
    deps.changes.subscribe((change) => {
      this.generation += 1;
      if (change === 'reset') this.cache.clear();
      else if (change.table === 'users') this.cache.delete(change.id);
    });
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

  /** The user of a session (from memory while the change feed is live). */
  async findById(id: string): Promise<PublicUser | null> {
    const cached = this.deps.changes.isLive ? this.cache.get(id) : undefined;
    if (cached) return cached;
    const generation = this.generation;
    const user = await this.users.findOne({ where: { id }, select: { id: true, email: true, createdAt: true } });
    if (user && this.deps.changes.isLive && generation === this.generation) this.cache.set(id, user);
    return user;
  }
}
