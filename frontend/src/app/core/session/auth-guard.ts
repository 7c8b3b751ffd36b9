import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { SessionStore } from './session-store';

/** Lets signed-in users through; everyone else goes to /login and comes back afterwards. */
export const authGuard: CanActivateFn = async (_route, state) => {
  const session = inject(SessionStore);
  const router = inject(Router);
  const user = await session.load();
  return user ? true : router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};
