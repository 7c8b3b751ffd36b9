import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { SessionStore } from './session-store';

/** Keeps signed-in users off the sign-in and sign-up pages. */
export const guestGuard: CanActivateFn = async () => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const user = await session.load();
  return user ? router.createUrlTree(['/tasks']) : true;
};
