import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CreateTask,
  Task,
  TaskHealthFilter,
  TaskListResponse,
  TaskResponse,
  UpdateTask,
} from '@contract';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../core/api/api-base-url';

/** HTTP for /api/tasks. Errors arrive as ApiError (see apiErrorInterceptor). */
@Injectable({ providedIn: 'root' })
export class TasksApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/tasks`;

  /** Newest first, as the backend sorts them; with `health`, only Tasks in one of those states. */
  list(health: readonly TaskHealthFilter[] = []): Observable<Task[]> {
    // One comma-separated value, as the API reads it (HttpParams leaves the commas unescaped).
    const params = health.length ? new HttpParams().set('health', health.join(',')) : undefined;
    return this.http
      .get<TaskListResponse>(this.baseUrl, { params })
      .pipe(map((body) => body.tasks));
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
