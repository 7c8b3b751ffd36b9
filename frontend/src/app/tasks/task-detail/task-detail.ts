import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { SalesforceConnectionCard } from '../../salesforce/salesforce-connection-card/salesforce-connection-card';
import { SfdcHistory } from '../../salesforce/sfdc-history/sfdc-history';
import { SfdcReturnNotifier } from '../../salesforce/sfdc-return-notifier';
import { SldsAlert, SldsButton, SldsPageHeader, SldsSpinner } from '../../ui/slds';
import { Task } from '../task';
import { TaskEditForm } from '../task-edit-form/task-edit-form';
import { TasksApi } from '../tasks-api';

/** One Task's record page: its details, its Salesforce connection and that connection's history. */
@Component({
  selector: 'app-task-detail',
  imports: [
    RouterLink,
    SalesforceConnectionCard,
    SfdcHistory,
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
  private readonly sfdcReturn = inject(SfdcReturnNotifier);

  /** From the `:taskId` path segment (withComponentInputBinding). */
  readonly taskId = input.required<string>();
  /** `?sfdc=connected` or `?sfdc=error&code=…`: how the backend's OAuth callback sends people back. */
  readonly sfdc = input<string>();
  readonly code = input<string>();

  protected readonly task = signal<Task | null>(null);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    effect(() => {
      const taskId = this.taskId();
      untracked(() => void this.load(taskId));
    });
    effect(() => {
      const outcome = this.sfdc();
      if (outcome) untracked(() => this.sfdcReturn.notify(outcome, this.code(), this.route));
    });
  }

  protected async load(taskId: string): Promise<void> {
    this.loadError.set(null);
    try {
      this.task.set(await firstValueFrom(this.tasksApi.get(taskId)));
    } catch (err) {
      this.task.set(null);
      this.loadError.set(ApiError.from(err).message);
    }
  }
}
