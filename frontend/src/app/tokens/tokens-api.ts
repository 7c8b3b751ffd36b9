import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { ApiToken, ApiTokenListResponse, CreateApiToken, CreatedApiToken } from '@contract';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../core/api/api-base-url';

/** HTTP for /api/tokens. Errors arrive as ApiError (see apiErrorInterceptor). */
@Injectable({ providedIn: 'root' })
export class TokensApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/tokens`;

  list(): Observable<ApiToken[]> {
    return this.http.get<ApiTokenListResponse>(this.baseUrl).pipe(map((body) => body.tokens));
  }

  /** The answer carries the plaintext token: the only time the backend ever sends it. */
  create(request: CreateApiToken): Observable<CreatedApiToken> {
    return this.http.post<CreatedApiToken>(this.baseUrl, request);
  }

  revoke(tokenId: string): Observable<void> {
    return this.http.delete<void>(`${this.baseUrl}/${encodeURIComponent(tokenId)}`);
  }
}
