import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
  linkedSignal,
  output,
  viewChild,
} from '@angular/core';

import { BrowserClipboard } from '../../core/browser/browser-clipboard';
import { ToastStore } from '../../core/toasts/toast-store';
import { SldsButton, SldsFormElement, SldsInput, SldsScopedNotification } from '../slds';

/**
 * A secret the backend answers this once (an API token, a webhook signing secret): it keeps only
 * a hash or will not send it again, so the page says so, focuses it and offers a Copy button. The
 * field is read-only but selectable, as a fallback when copying is refused.
 *
 * The content is the notice's sentence ("Copy your new token … now"); content marked
 * `oneTimeSecretHint` shows under the field, to say what the secret is for.
 */
@Component({
  selector: 'app-one-time-secret',
  imports: [SldsButton, SldsFormElement, SldsInput, SldsScopedNotification],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-box slds-theme_default' },
  styles: `
    :host {
      display: block;
    }
    .hint:empty {
      display: none;
    }
  `,
  template: `
    <slds-scoped-notification class="slds-m-bottom_small"><ng-content /></slds-scoped-notification>
    <slds-form-element [label]="label()" [inputId]="inputId()">
      <div class="slds-grid slds-grid_vertical-align-center">
        <input
          sldsInput
          #secretField
          type="text"
          readonly
          class="slds-text-font_monospace slds-col"
          [value]="secret()"
          (focus)="secretField.select()"
        />
        <button sldsButton="brand" type="button" class="slds-m-left_x-small" (click)="copy()">
          {{ isCopied() ? 'Copied' : 'Copy' }}
        </button>
      </div>
    </slds-form-element>
    <div class="hint slds-text-body_small slds-m-top_x-small">
      <ng-content select="[oneTimeSecretHint]" />
    </div>
    <button sldsButton type="button" class="slds-m-top_small" (click)="dismissed.emit()">
      Done
    </button>
  `,
})
export class OneTimeSecret {
  private readonly clipboard = inject(BrowserClipboard);
  private readonly toasts = inject(ToastStore);

  readonly secret = input.required<string>();
  /** The field's label, e.g. "Your new API token". */
  readonly label = input.required<string>();
  /** The field's id: unique on the page. */
  readonly inputId = input.required<string>();
  /** What the secret is called in the toasts, in lower case: "token", "signing secret". */
  readonly noun = input.required<string>();
  readonly dismissed = output<void>();

  /** Back to "Copy" whenever a newer secret replaces the one shown. */
  protected readonly isCopied = linkedSignal({ source: this.secret, computation: () => false });
  private readonly capitalNoun = computed(
    () => this.noun().charAt(0).toUpperCase() + this.noun().slice(1),
  );
  private readonly secretField = viewChild.required<ElementRef<HTMLInputElement>>('secretField');

  constructor() {
    // Focus the secret so keyboard and screen-reader users land on what they must copy.
    afterNextRender(() => this.secretField().nativeElement.focus());
  }

  protected async copy(): Promise<void> {
    try {
      await this.clipboard.copy(this.secret());
      this.isCopied.set(true);
      this.toasts.show('success', `${this.capitalNoun()} copied to the clipboard.`);
    } catch {
      this.toasts.show(
        'error',
        `Copying was refused by the browser. Select the ${this.noun()} and copy it.`,
      );
    }
  }
}
