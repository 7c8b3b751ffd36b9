import { inject, Injectable } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';

import { ToastStore } from '../core/toasts/toast-store';
import { oauthCallbackMessage } from './oauth-callback-message';

/**
 * The backend's OAuth callback sends the browser back with `?sfdc=connected` or
 * `?sfdc=error&code=…`: to the Task page, or to /tasks when it cannot tell which Task (an expired
 * or replayed `state`). Both pages hand that query here to be announced once and removed.
 */
@Injectable({ providedIn: 'root' })
export class OAuthReturnNotifier {
  private readonly router = inject(Router);
  private readonly toasts = inject(ToastStore);

  notify(outcome: string, code: string | undefined, route: ActivatedRoute): void {
    if (outcome === 'connected') this.toasts.show('success', 'Connected to Salesforce');
    else this.toasts.show('error', oauthCallbackMessage(code));
    // Drop the query so a reload, Back or a bookmark does not announce the outcome again.
    void this.router.navigate([], { relativeTo: route, replaceUrl: true });
  }
}
