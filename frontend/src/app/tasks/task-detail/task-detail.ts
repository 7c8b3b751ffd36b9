import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  untracked,
} from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import type { Task } from '@contract';

import { RemoteData } from '../../core/api/remote-data';
import { ConnectionHistory } from '../../salesforce/connection-history/connection-history';
import { OAuthReturnNotifier } from '../../salesforce/oauth-return-notifier';
import { SalesforceConnectionCard } from '../../salesforce/salesforce-connection-card/salesforce-connection-card';
import { SldsAlert, SldsButton, SldsPageHeader, SldsSpinner } from '../../ui/slds';
import { TaskEditForm } from '../task-edit-form/task-edit-form';
import { TasksApi } from '../tasks-api';

/** One Task's record page: its details, its Salesforce connection and that connection's history. */
@Component({
  selector: 'app-task-detail',
  imports: [
    ConnectionHistory,
    RouterLink,
    SalesforceConnectionCard,
    SldsAlert,
    SldsButton,
    SldsPageHeader,
    SldsSpinner,
    TaskEditForm,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './task-detail.html',
})
export class TaskDetail {
  private readonly tasksApi = inject(TasksApi);
  private readonly route = inject(ActivatedRoute);
  private readonly oauthReturn = inject(OAuthReturnNotifier);

  /** From the `:taskId` path segment (withComponentInputBinding). */
  readonly taskId = input.required<string>();
  /** `?sfdc=connected` or `?sfdc=error&code=…`: how the backend's OAuth callback sends people back. */
  readonly sfdc = input<string>();
  readonly code = input<string>();
  /** With `?sfdc=connected`: the Tasks, and the count of others, whose connection this one evicted. */
  readonly evicted = input<string>();
  readonly evictedOthers = input<string | undefined>(undefined, { alias: 'evicted_others' });

  /** Written back by the edit form and the Salesforce card, which answer the updated Task. */
  protected readonly task = new RemoteData<Task | null, string>({
    request: () => this.taskId(),
    loader: (taskId) => this.tasksApi.get(taskId),
    initial: null,
  });

  constructor() {
    effect(() => {
      const outcome = this.sfdc();
      if (!outcome) return;
      untracked(() =>
        this.oauthReturn.notify(
          {
            sfdc: outcome,
            code: this.code(),
            evicted: this.evicted(),
            evictedOthers: this.evictedOthers(),
          },
          this.route,
        ),
      );
    });
  }
}
