import { ChangeDetectionStrategy, Component, inject, output } from '@angular/core';
import { NonNullableFormBuilder, Validators } from '@angular/forms';
import type { CreatedApiToken } from '@contract';
import { API_TOKEN_NAME_MAX_LENGTH } from '@contract/limits';
import { firstValueFrom } from 'rxjs';

import { FormSubmission } from '../../core/forms/form-submission';
import { SLDS_FORM, SldsAlert, SldsCard } from '../../ui/slds';
import { TokensApi } from '../tokens-api';

/** Names and creates an API token, handing the one-time answer to the page. */
@Component({
  selector: 'app-token-create-form',
  imports: [SLDS_FORM, SldsAlert, SldsCard],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <slds-card heading="New API token">
      @if (submission.serverError(); as message) {
        <slds-alert variant="error" class="slds-m-bottom_small">{{ message }}</slds-alert>
      }
      <form [formGroup]="form" (ngSubmit)="submit()">
        <slds-form-element
          label="Token name"
          inputId="token-create-name"
          required
          [error]="nameError()"
          class="slds-m-bottom_medium"
        >
          <input
            sldsInput
            type="text"
            formControlName="name"
            autocomplete="off"
            placeholder="e.g. Nightly sync service"
          />
        </slds-form-element>
        <div class="slds-grid slds-grid_vertical-align-center">
          <button sldsButton="brand" type="submit" [disabled]="submission.isSubmitting()">
            Create token
          </button>
          @if (submission.isSubmitting()) {
            <slds-spinner
              size="x-small"
              inline
              label="Creating the token"
              class="slds-m-left_medium"
            />
          }
        </div>
      </form>
    </slds-card>
  `,
})
export class TokenCreateForm {
  private readonly tokensApi = inject(TokensApi);

  readonly created = output<CreatedApiToken>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [
      '',
      [
        Validators.required,
        Validators.pattern(/\S/),
        Validators.maxLength(API_TOKEN_NAME_MAX_LENGTH),
      ],
    ],
  });
  protected readonly submission = new FormSubmission();

  protected nameError(): string | null {
    const name = this.form.controls.name;
    if (!name.invalid || !(name.touched || this.submission.submitted())) return null;
    return name.hasError('maxlength')
      ? `Use at most ${API_TOKEN_NAME_MAX_LENGTH} characters.`
      : 'Enter a name, so you can tell your tokens apart.';
  }

  protected async submit(): Promise<void> {
    await this.submission.submit(this.form, async () => {
      const answer = await firstValueFrom(
        this.tokensApi.create({ name: this.form.getRawValue().name.trim() }),
      );
      this.form.reset();
      this.submission.reset();
      this.created.emit(answer);
    });
  }
}
