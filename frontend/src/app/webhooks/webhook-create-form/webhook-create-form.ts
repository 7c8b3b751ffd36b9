import { ChangeDetectionStrategy, Component, inject, output } from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import type { CreateWebhookResponse } from '@contract';
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_URL_MAX_LENGTH } from '@contract/limits';
import { firstValueFrom } from 'rxjs';

import { FormSubmission } from '../../core/forms/form-submission';
import {
  SLDS_FORM,
  SldsAlert,
  SldsCard,
  SldsCheckboxGroup,
  SldsCheckboxOption,
} from '../../ui/slds';
import {
  EVENT_DESCRIPTIONS,
  SUBSCRIBABLE_EVENT_TYPES,
  SubscribableEventType,
} from '../webhook-events';
import { WebhooksApi } from '../webhooks-api';

/**
 * A full http(s) URL. Only the shape is checked here: whether the host is allowed (https, a
 * public address) is the backend's call, and its answer says why not.
 */
function webUrl(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  if (!value) return null;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' ? null : { webUrl: true };
  } catch {
    return { webUrl: true };
  }
}

function atLeastOne(control: AbstractControl<readonly unknown[]>): ValidationErrors | null {
  return control.value.length > 0 ? null : { atLeastOne: true };
}

/** Adds a webhook endpoint, handing the one-time answer (with its secret) to the page. */
@Component({
  selector: 'app-webhook-create-form',
  imports: [SLDS_FORM, SldsAlert, SldsCard, SldsCheckboxGroup],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <slds-card heading="New webhook endpoint">
      @if (submission.serverError(); as message) {
        <slds-alert variant="error" class="slds-m-bottom_small">{{ message }}</slds-alert>
      }
      <form [formGroup]="form" (ngSubmit)="submit()">
        <slds-form-element
          label="Endpoint URL"
          inputId="webhook-create-url"
          required
          [error]="urlError()"
          class="slds-m-bottom_medium"
        >
          <input
            sldsInput
            type="url"
            formControlName="url"
            autocomplete="off"
            spellcheck="false"
            placeholder="https://example.com/webhooks/salesforce"
          />
        </slds-form-element>
        <slds-checkbox-group
          legend="Events to send"
          required
          formControlName="events"
          [options]="eventOptions"
          [error]="eventsError()"
          class="slds-m-bottom_medium"
        />
        <slds-form-element
          label="Description"
          inputId="webhook-create-description"
          [error]="descriptionError()"
          class="slds-m-bottom_medium"
        >
          <input
            sldsInput
            type="text"
            formControlName="description"
            autocomplete="off"
            placeholder="e.g. Alerts the on-call channel"
          />
        </slds-form-element>
        <div class="slds-grid slds-grid_vertical-align-center">
          <button sldsButton="brand" type="submit" [disabled]="submission.isSubmitting()">
            Create webhook
          </button>
          @if (submission.isSubmitting()) {
            <slds-spinner
              size="x-small"
              inline
              label="Creating the webhook"
              class="slds-m-left_medium"
            />
          }
        </div>
      </form>
    </slds-card>
  `,
})
export class WebhookCreateForm {
  private readonly webhooksApi = inject(WebhooksApi);

  readonly created = output<CreateWebhookResponse>();

  protected readonly eventOptions: readonly SldsCheckboxOption<SubscribableEventType>[] =
    SUBSCRIBABLE_EVENT_TYPES.map((type) => ({
      value: type,
      label: type,
      description: EVENT_DESCRIPTIONS[type],
    }));

  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly form = this.fb.group({
    url: ['', [Validators.required, Validators.maxLength(WEBHOOK_URL_MAX_LENGTH), webUrl]],
    // Every connection event by default: most endpoints want to hear about all of them.
    events: this.fb.control<SubscribableEventType[]>([...SUBSCRIBABLE_EVENT_TYPES], atLeastOne),
    description: ['', Validators.maxLength(WEBHOOK_DESCRIPTION_MAX_LENGTH)],
  });
  protected readonly submission = new FormSubmission();

  private showsError(control: AbstractControl): boolean {
    return control.invalid && (control.touched || this.submission.submitted());
  }

  protected urlError(): string | null {
    const url = this.form.controls.url;
    if (!this.showsError(url)) return null;
    if (url.hasError('required')) return 'Enter the URL that should receive the events.';
    if (url.hasError('maxlength')) return `Use at most ${WEBHOOK_URL_MAX_LENGTH} characters.`;
    return 'Enter a full URL, starting with https://';
  }

  protected eventsError(): string | null {
    return this.showsError(this.form.controls.events) ? 'Choose at least one event.' : null;
  }

  protected descriptionError(): string | null {
    return this.showsError(this.form.controls.description)
      ? `Use at most ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters.`
      : null;
  }

  protected async submit(): Promise<void> {
    await this.submission.submit(this.form, async () => {
      const { url, events, description } = this.form.getRawValue();
      const answer = await firstValueFrom(
        this.webhooksApi.create({
          url: url.trim(),
          events,
          ...(description.trim() ? { description: description.trim() } : {}),
        }),
      );
      this.form.reset();
      this.submission.reset();
      this.created.emit(answer);
    });
  }
}
