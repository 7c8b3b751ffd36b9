import { ChangeDetectionStrategy, Component, inject, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import {
  SldsAlert,
  SldsButton,
  SldsCard,
  SldsFormElement,
  SldsInput,
  SldsSpinner,
} from '../../ui/slds';
import { Task } from '../task';
import { TasksApi } from '../tasks-api';

/** Creates a Task and hands it to the parent, which owns the list. */
@Component({
  selector: 'app-task-create-form',
  imports: [
    ReactiveFormsModule,
    SldsAlert,
    SldsButton,
    SldsCard,
    SldsFormElement,
    SldsInput,
    SldsSpinner,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './task-create-form.html',
})
export class TaskCreateForm {
  private readonly tasksApi = inject(TasksApi);

  readonly created = output<Task>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    // pattern: a name of only spaces would pass `required` and reach the backend empty.
    name: ['', [Validators.required, Validators.pattern(/\S/)]],
    description: [''],
  });
  protected readonly submitted = signal(false);
  protected readonly isSubmitting = signal(false);
  protected readonly serverError = signal<string | null>(null);

  protected nameError(): string | null {
    const name = this.form.controls.name;
    const shouldShow = name.invalid && (name.touched || this.submitted());
    return shouldShow ? 'Enter a name for the task.' : null;
  }

  protected async submit(): Promise<void> {
    this.submitted.set(true);
    if (this.form.invalid || this.isSubmitting()) return;
    this.serverError.set(null);
    this.isSubmitting.set(true);
    const { name, description } = this.form.getRawValue();
    try {
      const task = await firstValueFrom(
        // An empty description is "not given", not an empty string to store.
        this.tasksApi.create(
          description.trim() ? { name: name.trim(), description } : { name: name.trim() },
        ),
      );
      this.form.reset();
      this.submitted.set(false);
      this.created.emit(task);
    } catch (err) {
      this.serverError.set(ApiError.from(err).message);
    } finally {
      this.isSubmitting.set(false);
    }
  }
}
