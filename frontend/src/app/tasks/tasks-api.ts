import { HttpClient, HttpParams, HttpUrlEncodingCodec } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CreateTask,
  Task,
  TaskHealthFilter,
  TaskListResponse,
  TaskResponse,
  UpdateTask,
} from '@contract';
import { PAGE_LIMIT_MAX } from '@contract/limits';
import { EMPTY, expand, map, Observable, reduce } from 'rxjs';

import { API_BASE_URL } from '../core/api/api-base-url';
import type { Page } from '../core/api/paged-data';

export interface TaskPageQuery {
  health?: readonly TaskHealthFilter[];
  q?: string;
  limit?: number;
  cursor?: string | null;
}

/**
 * Angular's default codec leaves `+` as is, which the server reads as a space: a search for "C++"
 * would look for "C  ". Everything is percent-encoded here but the commas of `health`.
 */
class QueryEncoder extends HttpUrlEncodingCodec {
  override encodeKey(key: string): string {
    return encodeURIComponent(key);
  }
  override encodeValue(value: string): string {
    return encodeURIComponent(value).replace(/%2C/gi, ',');
  }
}
const QUERY_ENCODER = new QueryEncoder();

/** HTTP for /api/tasks. Errors arrive as ApiError (see apiErrorInterceptor). */
@Injectable({ providedIn: 'root' })
export class TasksApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/tasks`;

  /**
   * One page, newest first, as the backend sorts them (50 Tasks, its default); with `health`,
   * only Tasks in one of those states; with `q`, only those whose name contains it.
   */
  page(query: TaskPageQuery = {}): Observable<Page<Task>> {
    let params = new HttpParams({ encoder: QUERY_ENCODER });
    // One comma-separated value, as the API reads it.
    if (query.health?.length) params = params.set('health', query.health.join(','));
    if (query.q) params = params.set('q', query.q);
    if (query.limit) params = params.set('limit', query.limit);
    if (query.cursor) params = params.set('cursor', query.cursor);
    return this.http
      .get<TaskListResponse>(this.baseUrl, { params })
      .pipe(map((body) => ({ items: body.tasks, nextCursor: body.next_cursor ?? null })));
  }

  /** Every Task, page after page (for pickers that need them all; at most 10,000 per account). */
  listAll(): Observable<Task[]> {
    return this.page({ limit: PAGE_LIMIT_MAX }).pipe(
      expand((page) =>
        page.nextCursor ? this.page({ limit: PAGE_LIMIT_MAX, cursor: page.nextCursor }) : EMPTY,
      ),
      reduce((all, page) => [...all, ...page.items], [] as Task[]),
    );
  }

  get(taskId: string): Observable<Task> {
    return this.http.get<TaskResponse>(this.url(taskId)).pipe(map((body) => body.task));
  }

  create(request: CreateTask): Observable<Task> {
    return this.http.post<TaskResponse>(this.baseUrl, request).pipe(map((body) => body.task));
  }

  update(taskId: string, changes: UpdateTask): Observable<Task> {
    return this.http.patch<TaskResponse>(this.url(taskId), changes).pipe(map((body) => body.task));
  }

  remove(taskId: string): Observable<void> {
    return this.http.delete<void>(this.url(taskId));
  }

  private url(taskId: string): string {
    return `${this.baseUrl}/${encodeURIComponent(taskId)}`;
  }
}
