import { ChangeDetectionStrategy, Component, inject, output } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import type { Task } from '@contract';
import { firstValueFrom } from 'rxjs';

import { FormSubmission } from '../../core/forms/form-submission';
import { SLDS_FORM, SldsAlert, SldsCard } from '../../ui/slds';
import { TasksApi } from '../tasks-api';

/** Creates a Task and hands it to the parent, which owns the list. */
@Component({
  selector: 'app-task-create-form',
  imports: [SLDS_FORM, SldsAlert, SldsCard],
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
  protected readonly submission = new FormSubmission();

  protected nameError(): string | null {
    const name = this.form.controls.name;
    const shouldShow = name.invalid && (name.touched || this.submission.submitted());
    return shouldShow ? 'Enter a name for the task.' : null;
  }

  protected async submit(): Promise<void> {
    await this.submission.submit(this.form, async () => {
      const { name, description } = this.form.getRawValue();
      const task = await firstValueFrom(
        // An empty description is "not given", not an empty string to store.
        this.tasksApi.create(
          description.trim() ? { name: name.trim(), description } : { name: name.trim() },
        ),
      );
      this.form.reset();
      this.submission.reset();
      this.created.emit(task);
    });
  }
}
