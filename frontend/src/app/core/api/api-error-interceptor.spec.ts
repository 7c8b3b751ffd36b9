import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { SessionStore } from '../session/session-store';
import { ToastStore } from '../toasts/toast-store';
import { ApiError } from './api-error';
import { apiErrorInterceptor } from './api-error-interceptor';

@Component({ template: '' })
class Blank {}

describe('apiErrorInterceptor', () => {
  let http: HttpClient;
  let httpMock: HttpTestingController;
  let router: Router;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: Blank },
          { path: 'tasks', component: Blank },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    httpMock = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    await router.navigateByUrl('/tasks');
  });

  afterEach(() => httpMock.verify());

  /** Starts a GET, answers it with `body`/`status`, and returns what the caller receives. */
  async function failedGet(url: string, body: object | string, status: number): Promise<unknown> {
    const result = firstValueFrom(http.get(url)).catch((err: unknown) => err);
    httpMock.expectOne(url).flush(body, { status, statusText: 'x' });
    return result;
  }

  it('when the body is the error envelope, then the caller gets an ApiError with its code and message', async () => {
    const err = await failedGet(
      '/api/tasks/1',
      { error: { code: 'task_not_found', message: 'No such task.' } },
      404,
    );

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'task_not_found', message: 'No such task.' });
  });

  it('when the body is not an envelope, then the caller still gets an ApiError', async () => {
    const err = await failedGet('/api/tasks', '<html>Bad Gateway</html>', 502);

    expect(err).toMatchObject({ status: 502, code: 'http_error' });
  });

  it('when every request goes out, then it carries credentials', () => {
    http.get('/api/tasks').subscribe();

    expect(httpMock.expectOne('/api/tasks').request.withCredentials).toBe(true);
  });

  it('when an ordinary call gets 401, then the session is cleared and the user is sent to /login', async () => {
    const session = TestBed.inject(SessionStore);
    const err = await failedGet(
      '/api/tasks',
      { error: { code: 'unauthenticated', message: 'Sign in first.' } },
      401,
    );
    await new Promise((resolve) => setTimeout(resolve));

    expect(err).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(session.isSignedIn()).toBe(false);
    expect(router.url).toBe('/login?returnUrl=%2Ftasks');
    expect(TestBed.inject(ToastStore).toasts()[0]?.variant).toBe('warning');
  });

  it('when an /auth/ call gets 401, then it is left to the caller and nothing navigates', async () => {
    await failedGet(
      '/api/auth/login',
      { error: { code: 'invalid_credentials', message: 'Nope.' } },
      401,
    );
    await new Promise((resolve) => setTimeout(resolve));

    expect(router.url).toBe('/tasks');
    expect(TestBed.inject(ToastStore).toasts()).toHaveLength(0);
  });
});
