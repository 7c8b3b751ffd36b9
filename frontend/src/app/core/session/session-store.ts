import { computed, inject, Injectable, signal } from '@angular/core';
import type { Credentials, Registration, User } from '@contract';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../api/api-error';
import { AuthApi } from './auth-api';

/** `undefined` until we have asked the backend; `null` once we know nobody is signed in. */
type SessionState = User | null | undefined;

/** Who is signed in. The cookie is HttpOnly, so GET /api/auth/me is the only way to know. */
@Injectable({ providedIn: 'root' })
export class SessionStore {
  private readonly authApi = inject(AuthApi);
  private readonly state = signal<SessionState>(undefined);
  private pendingLoad: Promise<User | null> | null = null;

  readonly user = computed(() => this.state() ?? null);
  readonly isSignedIn = computed(() => this.state() != null);

  /** The current user. Guards call this on every navigation, so the backend is asked once. */
  load(): Promise<User | null> {
    const known = this.state();
    if (known !== undefined) return Promise.resolve(known);
    this.pendingLoad ??= firstValueFrom(this.authApi.me())
      .then(
        (user) => this.remember(user),
        (err: unknown) => {
          // Only a 401 is a definite "signed out"; on a network or server error ask again next time.
          if (ApiError.from(err).status === 401) this.state.set(null);
          return null;
        },
      )
      .finally(() => (this.pendingLoad = null));
    return this.pendingLoad;
  }

  async signIn(credentials: Credentials): Promise<User> {
    return this.remember(await firstValueFrom(this.authApi.login(credentials)));
  }

  async signUp(registration: Registration): Promise<User> {
    return this.remember(await firstValueFrom(this.authApi.register(registration)));
  }

  async signOut(): Promise<void> {
    try {
      await firstValueFrom(this.authApi.logout(), { defaultValue: undefined });
    } finally {
      // Forget the user even if the call failed: the person asked to leave, and a stale cookie
      // is harmless because the next protected call answers 401.
      this.clear();
    }
  }

  clear(): void {
    this.state.set(null);
  }

  private remember(user: User): User {
    this.state.set(user);
    return user;
  }
}
