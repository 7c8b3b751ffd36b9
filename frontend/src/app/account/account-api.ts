import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  BrowserSession,
  BrowserSessionListResponse,
  ChangePassword,
  DeleteAccount,
} from '@contract';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../core/api/api-base-url';

/** HTTP for the signed-in person's own account under /api/auth. Errors arrive as ApiError. */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/auth`;

  changePassword(request: ChangePassword): Observable<void> {
    return this.http.patch<void>(`${this.baseUrl}/password`, request);
  }

  listSessions(): Observable<BrowserSession[]> {
    return this.http
      .get<BrowserSessionListResponse>(`${this.baseUrl}/sessions`)
      .pipe(map((body) => body.sessions));
  }

  endSession(sessionId: string): Observable<void> {
    return this.http.delete<void>(`${this.baseUrl}/sessions/${encodeURIComponent(sessionId)}`);
  }

  deleteAccount(request: DeleteAccount): Observable<void> {
    return this.http.delete<void>(`${this.baseUrl}/account`, { body: request });
  }
}
