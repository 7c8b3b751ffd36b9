import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, output } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import type { ApiTokenScope, CreateApiToken, CreatedApiToken, Task } from '@contract';
import {
  API_TOKEN_MAX_LIFETIME_DAYS,
  API_TOKEN_NAME_MAX_LENGTH,
  API_TOKEN_SCOPES,
  DEFAULT_API_TOKEN_SCOPES,
} from '@contract/limits';
import { firstValueFrom, map, of } from 'rxjs';

import { RemoteData } from '../../core/api/remote-data';
import { FormSubmission } from '../../core/forms/form-submission';
import { Clock } from '../../core/time/clock';
import { TasksApi } from '../../tasks/tasks-api';
import {
  SLDS_FORM,
  SldsAlert,
  SldsCard,
  SldsCheckboxGroup,
  SldsCheckboxOption,
  SldsRadioGroup,
  SldsRadioOption,
} from '../../ui/slds';
import {
  dateBounds,
  EXPIRY_PRESET_DAYS,
  ExpiryChoice,
  expiryMoment,
  expiryProblem,
} from '../token-expiry';
import { SCOPE_DESCRIPTIONS } from '../token-scopes';
import { TokensApi } from '../tokens-api';

type TaskAccess = 'all' | 'some';

function atLeastOne(control: AbstractControl<readonly unknown[]>): ValidationErrors | null {
  return control.value.length > 0 ? null : { atLeastOne: true };
}

/**
 * Names and creates an API token (what it may do, which Tasks it sees, when it stops working),
 * handing the one-time answer to the page.
 */
@Component({
  selector: 'app-token-create-form',
  imports: [DatePipe, SLDS_FORM, SldsAlert, SldsCard, SldsCheckboxGroup, SldsRadioGroup],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .task-choices {
      max-height: 14rem;
    }
  `,
  templateUrl: './token-create-form.html',
})
export class TokenCreateForm {
  private readonly tokensApi = inject(TokensApi);
  private readonly tasksApi = inject(TasksApi);
  private readonly clock = inject(Clock);

  readonly created = output<CreatedApiToken>();

  protected readonly scopeOptions: readonly SldsCheckboxOption<ApiTokenScope>[] =
    API_TOKEN_SCOPES.map((scope) => ({
      value: scope,
      label: scope,
      description: SCOPE_DESCRIPTIONS[scope],
    }));
  protected readonly taskAccessOptions: readonly SldsRadioOption<TaskAccess>[] = [
    { value: 'all', label: 'All Tasks' },
    { value: 'some', label: 'Only these Tasks' },
  ];
  protected readonly presetDays = EXPIRY_PRESET_DAYS;
  protected readonly maxDays = API_TOKEN_MAX_LIFETIME_DAYS;

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group(
    {
      name: [
        '',
        [
          Validators.required,
          Validators.pattern(/\S/),
          Validators.maxLength(API_TOKEN_NAME_MAX_LENGTH),
        ],
      ],
      scopes: this.fb.control<ApiTokenScope[]>([...DEFAULT_API_TOKEN_SCOPES], atLeastOne),
      taskAccess: this.fb.control<TaskAccess>('all'),
      taskIds: this.fb.control<string[]>([]),
      expiry: this.fb.control<ExpiryChoice>('never'),
      /** `YYYY-MM-DD`, with expiry `date`. */
      expiresOn: this.fb.control(''),
    },
    { validators: (group) => this.grantErrors(group) },
  );
  protected readonly submission = new FormSubmission();

  private readonly value = toSignal(
    this.form.valueChanges.pipe(map(() => this.form.getRawValue())),
    {
      initialValue: this.form.getRawValue(),
    },
  );
  protected readonly taskAccess = computed(() => this.value().taskAccess);
  protected readonly expiry = computed(() => this.value().expiry);
  /** When the chosen expiry would end the token: null for never, NaN while no date is chosen. */
  protected readonly expiresAt = computed(() =>
    expiryMoment(this.value().expiry, this.value().expiresOn, this.clock.now()),
  );
  /** The same, once it is a moment the API would take. */
  protected readonly validExpiresAt = computed(() => {
    const at = this.expiresAt();
    return at !== null && expiryProblem(at, this.clock.now()) === null ? at : null;
  });
  protected readonly dateBounds = computed(() => dateBounds(this.clock.now()));

  /** The user's Tasks, loaded only once "Only these Tasks" is chosen. */
  protected readonly tasks = new RemoteData<readonly Task[], boolean>({
    request: () => this.taskAccess() === 'some',
    loader: (wanted) => (wanted ? this.tasksApi.listAll() : of([])),
    initial: [],
  });
  protected readonly taskOptions = computed<readonly SldsCheckboxOption[]>(() =>
    this.tasks.value().map((task) => ({ value: task.id, label: task.name })),
  );

  /** Errors that depend on more than one field: the chosen Tasks, the chosen date. */
  private grantErrors(group: AbstractControl): ValidationErrors | null {
    const { taskAccess, taskIds, expiry, expiresOn } = (group as typeof this.form).getRawValue();
    const errors: ValidationErrors = {};
    if (taskAccess === 'some' && taskIds.length === 0) errors['noTasks'] = true;
    const now = this.clock.now();
    const problem = expiryProblem(expiryMoment(expiry, expiresOn, now), now);
    if (problem) errors['expiry'] = problem;
    return Object.keys(errors).length ? errors : null;
  }

  private shows(invalid: boolean, control: AbstractControl): boolean {
    return invalid && (control.touched || this.submission.submitted());
  }

  protected nameError(): string | null {
    const name = this.form.controls.name;
    if (!this.shows(name.invalid, name)) return null;
    return name.hasError('maxlength')
      ? `Use at most ${API_TOKEN_NAME_MAX_LENGTH} characters.`
      : 'Enter a name, so you can tell your tokens apart.';
  }

  protected scopesError(): string | null {
    const scopes = this.form.controls.scopes;
    return this.shows(scopes.invalid, scopes) ? 'Choose at least one scope.' : null;
  }

  protected taskIdsError(): string | null {
    return this.shows(this.form.hasError('noTasks'), this.form.controls.taskIds)
      ? 'Choose at least one Task.'
      : null;
  }

  protected expiresOnError(): string | null {
    const problem = this.form.getError('expiry') as string | null;
    if (!problem || !this.shows(true, this.form.controls.expiresOn)) return null;
    if (problem === 'missing') return 'Choose the date the token stops working.';
    if (problem === 'past') return 'Choose a date after today.';
    return `Choose a date at most ${API_TOKEN_MAX_LIFETIME_DAYS} days ahead.`;
  }

  protected chooseTaskAccess(access: TaskAccess): void {
    this.form.controls.taskAccess.setValue(access);
  }

  protected async submit(): Promise<void> {
    await this.submission.submit(this.form, async () => {
      const answer = await firstValueFrom(this.tokensApi.create(this.request()));
      this.form.reset();
      this.submission.reset();
      this.created.emit(answer);
    });
  }

  /** Only what was chosen: no `task_ids` for all Tasks, no `expires_at` for never. */
  private request(): CreateApiToken {
    const { name, scopes, taskAccess, taskIds, expiry, expiresOn } = this.form.getRawValue();
    const request: CreateApiToken = { name: name.trim(), scopes };
    if (taskAccess === 'some') request.task_ids = taskIds;
    const moment = expiryMoment(expiry, expiresOn, this.clock.now());
    if (moment !== null) request.expires_at = new Date(moment).toISOString();
    return request;
  }
}
