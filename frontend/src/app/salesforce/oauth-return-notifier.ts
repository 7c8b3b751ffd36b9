import { inject, Injectable } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { ToastStore } from '../core/toasts/toast-store';
import { TasksApi } from '../tasks/tasks-api';
import { evictionMessage } from './eviction-message';
import { oauthCallbackMessage } from './oauth-callback-message';

/** The query the backend's OAuth callback sends the browser back with. */
export interface OAuthReturn {
  /** `connected` or `error`. */
  sfdc: string;
  /** With `error`: why. */
  code?: string;
  /** With `connected`: comma-separated ids of this user's Tasks whose connection Salesforce revoked. */
  evicted?: string;
  /** With `connected`: how many connections of other people using this app Salesforce revoked. */
  evictedOthers?: string;
}

/**
 * One approval makes Salesforce revoke one older one, so the backend names few Tasks; a hand-made
 * link could name hundreds. Past this many they are still counted, only not looked up.
 */
const MAX_NAMES_LOOKED_UP = 5;

/**
 * The backend's OAuth callback sends the browser back with `?sfdc=connected` or
 * `?sfdc=error&code=…`: to the Task page, or to /tasks when it cannot tell which Task (an expired
 * or replayed `state`). Both pages hand that query here to be announced once and removed.
 */
@Injectable({ providedIn: 'root' })
export class OAuthReturnNotifier {
  private readonly router = inject(Router);
  private readonly toasts = inject(ToastStore);
  private readonly tasksApi = inject(TasksApi);

  notify(query: OAuthReturn, route: ActivatedRoute): void {
    if (query.sfdc === 'connected') {
      this.toasts.show('success', 'Connected to Salesforce');
      void this.announceEvictions(idsOf(query.evicted), countOf(query.evictedOthers));
    } else {
      this.toasts.show('error', oauthCallbackMessage(query.code));
    }
    // Drop the query so a reload, Back or a bookmark does not announce the outcome again; other
    // parameters (a list filter) stay.
    void this.router.navigate([], {
      relativeTo: route,
      queryParams: { sfdc: null, code: null, evicted: null, evicted_others: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  /** Names the evicted Tasks; one that cannot be read (deleted since, say) is "another Task". */
  private async announceEvictions(taskIds: string[], others: number): Promise<void> {
    const names = await Promise.all(
      taskIds.map((id, i) =>
        i < MAX_NAMES_LOOKED_UP
          ? firstValueFrom(this.tasksApi.get(id)).then(
              (task) => task.name,
              () => null,
            )
          : null,
      ),
    );
    const message = evictionMessage(names, others);
    // A warning, so it stays until closed: it names connections that no longer work.
    if (message) this.toasts.show('warning', message);
  }
}

function idsOf(list: string | undefined): string[] {
  const ids = (list ?? '').split(',').map((id) => id.trim());
  return [...new Set(ids.filter(Boolean))];
}

function countOf(value: string | undefined): number {
  const count = Number(value);
  return Number.isInteger(count) && count > 0 ? count : 0;
}
