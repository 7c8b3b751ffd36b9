import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';

import { SessionStore } from '../session/session-store';
import { ToastStore } from '../toasts/toast-store';
import { ApiError } from './api-error';
import { API_BASE_URL } from './api-base-url';

/**
 * The one place HTTP failures are translated: every error leaves as an ApiError, and a 401 on an
 * ordinary call means the session ended (expired, or signed out in another tab), so we drop the
 * local user and send the person to sign in again.
 */
export const apiErrorInterceptor: HttpInterceptorFn = (req, next) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const toasts = inject(ToastStore);
  const authPrefix = `${inject(API_BASE_URL)}/auth/`;

  // withCredentials is a no-op on the same origin, and required if the API ever moves elsewhere.
  return next(req.clone({ withCredentials: true })).pipe(
    catchError((err: unknown) => {
      const apiError = ApiError.from(err);
      if (err instanceof HttpErrorResponse && err.status === 401) {
        session.clear();
        // A 401 from /auth/* is an answer (wrong password, nobody signed in yet) that the sign-in
        // page and the guards handle themselves; redirecting there would loop or lose returnUrl.
        if (!req.url.startsWith(authPrefix)) {
          toasts.show('warning', 'Your session has ended. Please sign in again.');
          void router.navigate(['/login'], { queryParams: { returnUrl: router.url } });
        }
      }
      return throwError(() => apiError);
    }),
  );
};
