import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { Credentials, Registration, User, UserResponse } from '@contract';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../api/api-base-url';

/** HTTP for /api/auth. Lives in core because the session, guards and shell all depend on it. */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/auth`;

  me(): Observable<User> {
    return this.http.get<UserResponse>(`${this.baseUrl}/me`).pipe(map((body) => body.user));
  }

  login(credentials: Credentials): Observable<User> {
    return this.http
      .post<UserResponse>(`${this.baseUrl}/login`, credentials)
      .pipe(map((body) => body.user));
  }

  register(registration: Registration): Observable<User> {
    return this.http
      .post<UserResponse>(`${this.baseUrl}/register`, registration)
      .pipe(map((body) => body.user));
  }

  logout(): Observable<void> {
    // `{}` rather than no body: the backend only accepts JSON bodies on state-changing routes (CSRF).
    return this.http.post<void>(`${this.baseUrl}/logout`, {});
  }
}
