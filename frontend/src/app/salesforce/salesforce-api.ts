import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../core/api/api-base-url';
import { SfdcEnvironment } from '../tasks/task';
import { SfdcEvent } from './sfdc-event';
import { SfdcTestResult } from './sfdc-test-result';

/** Which login host to use. The backend builds the URL: the browser never sends a login URL. */
export interface SfdcAuthorizeRequest {
  environment: SfdcEnvironment;
  /** The My Domain host, only with environment 'custom'. */
  domain?: string;
}

/** HTTP for a Task's Salesforce connection, /api/tasks/:id/sfdc/*. Errors arrive as ApiError. */
@Injectable({ providedIn: 'root' })
export class SalesforceApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/tasks`;

  /** The Salesforce authorize URL to send the browser to. */
  authorize(taskId: string, request: SfdcAuthorizeRequest): Observable<string> {
    return this.http
      .post<{ url: string }>(`${this.url(taskId)}/authorize`, request)
      .pipe(map((body) => body.url));
  }

  test(taskId: string): Observable<SfdcTestResult> {
    // `{}` rather than no body: state-changing routes accept only JSON (the backend's CSRF rule).
    return this.http.post<SfdcTestResult>(`${this.url(taskId)}/test`, {});
  }

  disconnect(taskId: string): Observable<void> {
    return this.http.delete<void>(this.url(taskId));
  }

  /** Newest first. */
  events(taskId: string): Observable<SfdcEvent[]> {
    return this.http
      .get<{ events: SfdcEvent[] }>(`${this.url(taskId)}/events`)
      .pipe(map((body) => body.events));
  }

  private url(taskId: string): string {
    return `${this.baseUrl}/${encodeURIComponent(taskId)}/sfdc`;
  }
}
