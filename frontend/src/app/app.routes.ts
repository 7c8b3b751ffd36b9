import { Routes } from '@angular/router';

import { authGuard } from './core/session/auth-guard';
import { guestGuard } from './core/session/guest-guard';

export const routes: Routes = [
  { path: '', pathMatch: 'full', redirectTo: 'tasks' },
  {
    path: 'login',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/sign-in/sign-in').then((m) => m.SignIn),
  },
  {
    path: 'register',
    canActivate: [guestGuard],
    loadComponent: () => import('./auth/sign-up/sign-up').then((m) => m.SignUp),
  },
  {
    path: 'tasks',
    canActivate: [authGuard],
    loadChildren: () => import('./tasks/tasks.routes').then((m) => m.TASKS_ROUTES),
  },
  {
    path: 'tokens',
    canActivate: [authGuard],
    loadComponent: () => import('./tokens/token-list/token-list').then((m) => m.TokenList),
  },
  {
    path: 'webhooks',
    canActivate: [authGuard],
    loadComponent: () => import('./webhooks/webhook-list/webhook-list').then((m) => m.WebhookList),
  },
  {
    path: 'account',
    canActivate: [authGuard],
    loadComponent: () => import('./account/account-page/account-page').then((m) => m.AccountPage),
  },
  // Unknown paths land on the main page (which sends signed-out people to /login) rather than a blank shell.
  { path: '**', redirectTo: 'tasks' },
];
