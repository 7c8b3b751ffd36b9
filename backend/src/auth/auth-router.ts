import { Router, type Request } from 'express';
import type { Passport } from 'passport';

type Authenticator = InstanceType<typeof Passport>;
import { Credentials, Registration, type UserResponse } from '../contract';
import { InvalidCredentialsError } from '../platform/errors';
import { parse } from '../platform/validation';
import type { AuthService } from './auth-service';
import { currentUser, requireUser } from './current-user';
import { sessionCookieName } from './session-middleware';
import { createLoginRateLimit, type LoginRateLimitOptions } from './login-rate-limit';
import { createRegistrationRateLimit, type RegistrationRateLimitOptions } from './registration-rate-limit';
import { startSession } from './sign-in-session';
import { toUserDto } from './user-dto';

export interface AuthRouterDeps {
  auth: AuthService;
  passport: Authenticator;
  loginRateLimit: LoginRateLimitOptions;
  registrationRateLimit: RegistrationRateLimitOptions;
  config: { session: { secureCookie: boolean } };
}

export function createAuthRouter({ auth, passport, loginRateLimit, registrationRateLimit, config }: AuthRouterDeps): Router {
  const router = Router();

  router.post('/register', createRegistrationRateLimit(registrationRateLimit), async (req, res) => {
    const { email, password } = parse(Registration, req.body);
    const user = await auth.register(email, password);
    await startSession(req, user);
    res.status(201).json({ user: toUserDto(user) } satisfies UserResponse);
  });

  router.post('/login', ...createLoginRateLimit(loginRateLimit), async (req, res) => {
    parse(Credentials, req.body);
    const user = await authenticateLocal(passport, req);
    await startSession(req, user);
    res.json({ user: toUserDto(user) } satisfies UserResponse);
  });

  router.post('/logout', async (req, res) => {
    if (req.session) {
      await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
      await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
    }
    const { secureCookie } = config.session;
    res.clearCookie(sessionCookieName(secureCookie), { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookie });
    res.status(204).end();
  });

  router.get('/me', requireUser, (req, res) => {
    res.json({ user: toUserDto(currentUser(req)) } satisfies UserResponse);
  });

  return router;
}

/** Runs passport-local and resolves with the user; wrong credentials become `invalid_credentials`. */
function authenticateLocal(passport: Authenticator, req: Request): Promise<Express.User> {
  return new Promise((resolve, reject) => {
    const authenticate = passport.authenticate('local', { session: false }, (err: unknown, user: Express.User | false) => {
      if (err) reject(err);
      else if (!user) reject(new InvalidCredentialsError());
      else resolve(user);
    });
    authenticate(req, req.res, reject);
  });
}
