import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AuthorizeResponse,
  AuthorizeSalesforce,
  ConnectionEvent,
  ConnectionEventListResponse,
  ConnectionTestResult,
  ConnectJwtBearer,
  SalesforceConnection,
  SalesforceConnectionResponse,
} from '@contract';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../core/api/api-base-url';
import type { Page } from '../core/api/paged-data';

/** HTTP for a Task's Salesforce connection, /api/tasks/:id/sfdc/*. Errors arrive as ApiError. */
@Injectable({ providedIn: 'root' })
export class SalesforceApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/tasks`;

  /** The Salesforce authorize URL to send the browser to. */
  authorize(taskId: string, request: AuthorizeSalesforce): Observable<string> {
    return this.http
      .post<AuthorizeResponse>(`${this.url(taskId)}/authorize`, request)
      .pipe(map((body) => body.url));
  }

  /**
   * Connects as an integration user (OAuth 2.0 JWT bearer): no sign-in page, the answer is the
   * connection. Salesforce's refusal arrives as ApiError `salesforce_jwt_refused`, in words.
   */
  connectJwt(taskId: string, request: ConnectJwtBearer): Observable<SalesforceConnection | null> {
    return this.http
      .post<SalesforceConnectionResponse>(`${this.url(taskId)}/connect-jwt`, request)
      .pipe(map((body) => body.sfdc));
  }

  /** 200 whatever the outcome (`status` says which), with the connection as it is afterwards. */
  test(taskId: string): Observable<ConnectionTestResult> {
    // `{}` rather than no body: state-changing routes accept only JSON (the backend's CSRF rule).
    return this.http.post<ConnectionTestResult>(`${this.url(taskId)}/test`, {});
  }

  disconnect(taskId: string): Observable<void> {
    return this.http.delete<void>(this.url(taskId));
  }

  /** One page of the connection's history, newest first: `limit` entries after `cursor`. */
  events(
    taskId: string,
    page: { limit?: number; cursor?: string | null } = {},
  ): Observable<Page<ConnectionEvent>> {
    let params = new HttpParams();
    if (page.limit) params = params.set('limit', page.limit);
    if (page.cursor) params = params.set('cursor', page.cursor);
    return this.http
      .get<ConnectionEventListResponse>(`${this.url(taskId)}/events`, { params })
      .pipe(map((body) => ({ items: body.events, nextCursor: body.next_cursor ?? null })));
  }

  private url(taskId: string): string {
    return `${this.baseUrl}/${encodeURIComponent(taskId)}/sfdc`;
  }
}
