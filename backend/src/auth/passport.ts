import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { InvalidCredentialsError } from '../platform/errors';
import type { AuthService } from './auth-service';

/**
 * A fresh Passport per app (never the module singleton), so two apps in one process, as in
 * the tests, do not share strategies or serializers.
 */
export function createAuthenticator(auth: AuthService): InstanceType<typeof Passport> {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', session: true }, (email, password, done) => {
      auth.verifyCredentials(email, password).then(
        (user) => done(null, user),
        (err: unknown) => (err instanceof InvalidCredentialsError ? done(null, false) : done(err)),
      );
    }),
  );
  // The session holds the user id only; the user is re-read on each request, so a deleted
  // account is signed out at once.
  passport.serializeUser((user, done) => done(null, user.id));
  passport.deserializeUser((id: string, done) => {
    auth.findById(id).then((user) => done(null, user ?? false), done);
  });
  return passport;
}
