import {
  booleanAttribute,
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import type { ConnectJwtBearer, SalesforceEnvironment } from '@contract';

import {
  SldsAlert,
  SldsButton,
  SldsFormElement,
  SldsInput,
  SldsScopedNotification,
  SldsSpinner,
} from '../../ui/slds';
import { EnvironmentPicker, parseMyDomain } from '../environment-picker/environment-picker';

/** The contract's limit on a Salesforce username. */
const USERNAME_MAX_LENGTH = 254;

/**
 * "Connect as an integration user" (OAuth 2.0 JWT bearer): where the org signs in and which
 * pre-authorized user to act as. It only collects and checks; the card sends the request and
 * passes back `busy` and the server's `error`, so a refusal shows here with the values kept.
 */
@Component({
  selector: 'app-jwt-bearer-form',
  imports: [
    EnvironmentPicker,
    SldsAlert,
    SldsButton,
    SldsFormElement,
    SldsInput,
    SldsScopedNotification,
    SldsSpinner,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ':host { display: block; }',
  template: `
    <form
      class="slds-box slds-box_small"
      novalidate
      aria-labelledby="jwt-bearer-heading"
      data-testid="jwt-bearer-form"
      (submit)="submit($event)"
    >
      <h3 id="jwt-bearer-heading" class="slds-text-heading_small slds-m-bottom_x-small">
        Connect as an integration user
      </h3>
      <p class="slds-text-body_small slds-text-color_weak slds-m-bottom_small">
        Server to server: no sign-in page. The app connects with its certificate as this Salesforce
        user, who must be pre-authorized for the app (a profile or permission set on its Connected
        App).
      </p>
      @if (usesEmulator()) {
        <slds-scoped-notification class="slds-m-bottom_small">
          Salesforce here is the built-in emulator: its demo users, like grace&#64;acme.example, are
          pre-authorized for the app.
        </slds-scoped-notification>
      }
      <app-environment-picker
        [(environment)]="environment"
        [(domain)]="domain"
        [domainError]="domainError()"
      />
      <slds-form-element
        label="Salesforce username"
        inputId="jwt-username"
        required
        [error]="usernameError()"
        class="slds-m-bottom_small"
      >
        <input
          sldsInput
          type="text"
          inputmode="email"
          autocomplete="off"
          spellcheck="false"
          placeholder="integration@acme.com"
          [attr.maxlength]="usernameMaxLength"
          [value]="username()"
          (input)="onUsernameInput($event)"
        />
      </slds-form-element>
      @if (error(); as message) {
        <slds-alert variant="error" class="slds-m-bottom_small">{{ message }}</slds-alert>
      }
      <div class="slds-grid slds-wrap slds-grid_vertical-align-center">
        <button sldsButton="brand" type="submit" [disabled]="busy()">Connect</button>
        <button
          sldsButton
          type="button"
          class="slds-m-left_x-small"
          [disabled]="busy()"
          (click)="cancelled.emit()"
        >
          Cancel
        </button>
        @if (busy()) {
          <slds-spinner
            size="x-small"
            inline
            label="Connecting as the integration user"
            class="slds-m-left_medium"
          />
        }
      </div>
    </form>
  `,
})
export class JwtBearerForm {
  /** Prefilled values, e.g. a My Domain connection's user, reconnecting. */
  readonly initialEnvironment = input<SalesforceEnvironment>('production');
  readonly initialUsername = input('');
  readonly busy = input(false, { transform: booleanAttribute });
  /** The server's answer in words (Salesforce's refusal explains pre-authorization). */
  readonly error = input<string | null>(null);
  readonly usesEmulator = input(false, { transform: booleanAttribute });

  readonly submitted = output<ConnectJwtBearer>();
  readonly cancelled = output<void>();

  protected readonly usernameMaxLength = USERNAME_MAX_LENGTH;
  protected readonly environment = linkedSignal(() => this.initialEnvironment());
  protected readonly domain = signal('');
  protected readonly username = linkedSignal(() => this.initialUsername());
  private readonly tried = signal(false);

  protected readonly domainError = computed(() => {
    if (!this.tried() || this.environment() !== 'custom') return null;
    const parsed = parseMyDomain(this.domain());
    return 'error' in parsed ? parsed.error : null;
  });
  protected readonly usernameError = computed(() =>
    this.tried() && !this.username().trim()
      ? "Enter the integration user's Salesforce username."
      : null,
  );

  protected onUsernameInput(event: Event): void {
    this.username.set((event.target as HTMLInputElement).value);
  }

  protected submit(event: Event): void {
    event.preventDefault();
    this.tried.set(true);
    if (this.busy()) return;
    const username = this.username().trim();
    if (!username) return;
    const environment = this.environment();
    if (environment !== 'custom') {
      this.submitted.emit({ environment, username });
      return;
    }
    const parsed = parseMyDomain(this.domain());
    if ('error' in parsed) return;
    this.submitted.emit({ environment, domain: parsed.domain, username });
  }
}
