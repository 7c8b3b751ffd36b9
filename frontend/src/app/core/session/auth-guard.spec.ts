import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { apiErrorInterceptor } from '../api/api-error-interceptor';
import { authGuard } from './auth-guard';
import { guestGuard } from './guest-guard';

@Component({ template: '' })
class Blank {}

const USER = { id: 'u1', email: 'ada@example.com', created_at: '2026-01-01T00:00:00.000Z' };

describe('authGuard and guestGuard', () => {
  let httpMock: HttpTestingController;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'login', component: Blank, canActivate: [guestGuard] },
          { path: 'tasks', component: Blank, canActivate: [authGuard] },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
  });

  afterEach(() => httpMock.verify());

  /** Navigates, answering the guard's one GET /api/auth/me with `status`. */
  async function navigateAs(url: string, status: 200 | 401): Promise<void> {
    const navigation = router.navigateByUrl(url);
    await new Promise((resolve) => setTimeout(resolve));
    const me = httpMock.expectOne('/api/auth/me');
    if (status === 200) me.flush({ user: USER });
    else
      me.flush(
        { error: { code: 'unauthenticated', message: 'Sign in first.' } },
        { status, statusText: 'x' },
      );
    await navigation;
  }

  it('when nobody is signed in, then /tasks redirects to /login with a returnUrl', async () => {
    await navigateAs('/tasks', 401);

    expect(router.url).toBe('/login?returnUrl=%2Ftasks');
  });

  it('when signed in, then /tasks opens and /login sends the user back to /tasks without asking again', async () => {
    await navigateAs('/tasks', 200);
    expect(router.url).toBe('/tasks');

    await router.navigateByUrl('/login');

    expect(router.url).toBe('/tasks');
    httpMock.expectNone('/api/auth/me'); // the answer is remembered for the app's lifetime
  });
});
