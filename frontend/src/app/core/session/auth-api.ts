import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../api/api-base-url';
import { Credentials, User } from './user';

/** HTTP for /api/auth. Lives in core because the session, guards and shell all depend on it. */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/auth`;

  me(): Observable<User> {
    return this.http.get<{ user: User }>(`${this.baseUrl}/me`).pipe(map((body) => body.user));
  }

  login(credentials: Credentials): Observable<User> {
    return this.http
      .post<{ user: User }>(`${this.baseUrl}/login`, credentials)
      .pipe(map((body) => body.user));
  }

  register(credentials: Credentials): Observable<User> {
    return this.http
      .post<{ user: User }>(`${this.baseUrl}/register`, credentials)
      .pipe(map((body) => body.user));
  }

  logout(): Observable<void> {
    // `{}` rather than no body: the backend only accepts JSON bodies on state-changing routes (CSRF).
    return this.http.post<void>(`${this.baseUrl}/logout`, {});
  }
}
