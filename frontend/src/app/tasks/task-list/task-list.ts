import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ToastStore } from '../../core/toasts/toast-store';
import { SldsAlert, SldsButton, SldsCard, SldsSpinner } from '../../ui/slds';
import { Task } from '../task';
import { TaskConnectionBadge } from '../task-connection-badge/task-connection-badge';
import { TaskCreateForm } from '../task-create-form/task-create-form';
import { TasksApi } from '../tasks-api';

/** The signed-in user's Tasks with their Salesforce state, plus the form to add one. */
@Component({
  selector: 'app-task-list',
  imports: [SldsAlert, SldsButton, SldsCard, SldsSpinner, TaskConnectionBadge, TaskCreateForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './task-list.html',
})
export class TaskList {
  private readonly tasksApi = inject(TasksApi);
  private readonly toasts = inject(ToastStore);

  protected readonly tasks = signal<readonly Task[]>([]);
  protected readonly isLoading = signal(true);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.isLoading.set(true);
    this.loadError.set(null);
    try {
      this.tasks.set(await firstValueFrom(this.tasksApi.list()));
    } catch (err) {
      this.loadError.set(ApiError.from(err).message);
    } finally {
      this.isLoading.set(false);
    }
  }

  protected onCreated(task: Task): void {
    // Prepend rather than reload: the list is newest first, and a reload would cost a round trip.
    this.tasks.update((list) => [task, ...list]);
    this.toasts.show('success', `Task "${task.name}" created.`);
  }
}
