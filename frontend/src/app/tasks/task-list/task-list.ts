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
import type { Task } from '@contract';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { RemoteData } from '../../core/api/remote-data';
import { ToastStore } from '../../core/toasts/toast-store';
import { OAuthReturnNotifier } from '../../salesforce/oauth-return-notifier';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import { SldsAlert, SldsButton, SldsButtonIcon, SldsCard, SldsSpinner } from '../../ui/slds';
import { TaskConnectionBadge } from '../task-connection-badge/task-connection-badge';
import { TaskCreateForm } from '../task-create-form/task-create-form';
import { TasksApi } from '../tasks-api';

/** The signed-in user's Tasks with their Salesforce state, plus the form to add one. */
@Component({
  selector: 'app-task-list',
  imports: [
    ConfirmModal,
    RouterLink,
    SldsAlert,
    SldsButton,
    SldsButtonIcon,
    SldsCard,
    SldsSpinner,
    TaskConnectionBadge,
    TaskCreateForm,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './task-list.html',
})
export class TaskList {
  private readonly tasksApi = inject(TasksApi);
  private readonly toasts = inject(ToastStore);
  private readonly route = inject(ActivatedRoute);
  private readonly oauthReturn = inject(OAuthReturnNotifier);

  /** `?sfdc=error&code=invalid_state` lands here: the callback could not tell which Task it was for. */
  readonly sfdc = input<string>();
  readonly code = input<string>();

  protected readonly tasks = new RemoteData<readonly Task[]>({
    loader: () => this.tasksApi.list(),
    initial: [],
  });
  /** The Task whose deletion is being confirmed in the modal. */
  protected readonly pendingDelete = signal<Task | null>(null);
  protected readonly isDeleting = signal(false);
  protected readonly deleteError = signal<string | null>(null);

  constructor() {
    effect(() => {
      const outcome = this.sfdc();
      if (outcome) untracked(() => this.oauthReturn.notify(outcome, this.code(), this.route));
    });
  }

  protected onCreated(task: Task): void {
    // Prepend rather than reload: the list is newest first, and a reload would cost a round trip.
    this.tasks.value.update((list) => [task, ...list]);
    this.toasts.show('success', `Task "${task.name}" created.`);
  }

  protected confirmDelete(task: Task): void {
    this.deleteError.set(null);
    this.pendingDelete.set(task);
  }

  protected cancelDelete(): void {
    this.pendingDelete.set(null);
  }

  protected async deleteTask(task: Task): Promise<void> {
    this.isDeleting.set(true);
    this.deleteError.set(null);
    try {
      await firstValueFrom(this.tasksApi.remove(task.id), { defaultValue: undefined });
      this.tasks.value.update((list) => list.filter((t) => t.id !== task.id));
      this.pendingDelete.set(null);
      this.toasts.show('success', `Task "${task.name}" deleted.`);
    } catch (err) {
      this.deleteError.set(ApiError.from(err).message);
    } finally {
      this.isDeleting.set(false);
    }
  }
}
