import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import type { Task, UpdateTask } from '@contract';
import { TASK_DESCRIPTION_MAX_LENGTH, TASK_NAME_MAX_LENGTH } from '@contract/limits';
import { firstValueFrom } from 'rxjs';

import { FormSubmission } from '../../core/forms/form-submission';
import { ToastStore } from '../../core/toasts/toast-store';
import { SLDS_FORM, SldsAlert, SldsCard } from '../../ui/slds';
import { TasksApi } from '../tasks-api';

/** A Task's details: read-only until "Edit", then a form that PATCHes only what changed. */
@Component({
  selector: 'app-task-edit-form',
  imports: [SLDS_FORM, DatePipe, SldsAlert, SldsCard],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './task-edit-form.html',
})
export class TaskEditForm {
  private readonly tasksApi = inject(TasksApi);
  private readonly toasts = inject(ToastStore);
  private readonly injector = inject(Injector);

  readonly task = input.required<Task>();
  readonly saved = output<Task>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [
      '',
      [Validators.required, Validators.pattern(/\S/), Validators.maxLength(TASK_NAME_MAX_LENGTH)],
    ],
    description: ['', Validators.maxLength(TASK_DESCRIPTION_MAX_LENGTH)],
  });
  protected readonly isEditing = signal(false);
  protected readonly submission = new FormSubmission();
  private readonly nameInput = viewChild<ElementRef<HTMLInputElement>>('nameInput');
  private readonly editButton = viewChild<ElementRef<HTMLButtonElement>>('editButton');

  protected nameError(): string | null {
    const name = this.form.controls.name;
    if (!name.invalid || !(name.touched || this.submission.submitted())) return null;
    return name.hasError('maxlength')
      ? `Use at most ${TASK_NAME_MAX_LENGTH} characters.`
      : 'Enter a name for the task.';
  }

  protected descriptionError(): string | null {
    const description = this.form.controls.description;
    return description.hasError('maxlength')
      ? `Use at most ${TASK_DESCRIPTION_MAX_LENGTH} characters.`
      : null;
  }

  protected edit(): void {
    const { name, description } = this.task();
    this.form.reset({ name, description });
    this.submission.reset();
    this.isEditing.set(true);
    this.focusAfterRender(() => this.nameInput());
  }

  protected cancel(): void {
    this.isEditing.set(false);
    this.focusAfterRender(() => this.editButton());
  }

  protected async save(): Promise<void> {
    await this.submission.submit(this.form, async () => {
      const changes = this.changes();
      if (!changes) return this.cancel(); // nothing to send; leave edit mode as if saved
      const task = await firstValueFrom(this.tasksApi.update(this.task().id, changes));
      this.saved.emit(task);
      this.toasts.show('success', 'Task saved.');
      this.cancel();
    });
  }

  /** Only the edited fields: the PATCH must not overwrite what it did not mean to change. */
  private changes(): UpdateTask | null {
    const { name, description } = this.form.getRawValue();
    const changes: UpdateTask = {};
    if (name.trim() !== this.task().name) changes.name = name.trim();
    if (description !== this.task().description) changes.description = description;
    return Object.keys(changes).length ? changes : null;
  }

  private focusAfterRender(target: () => ElementRef<HTMLElement> | undefined): void {
    afterNextRender(() => target()?.nativeElement.focus(), { injector: this.injector });
  }
}
