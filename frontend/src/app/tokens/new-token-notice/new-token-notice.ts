import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  input,
  linkedSignal,
  output,
  viewChild,
} from '@angular/core';

import { BrowserClipboard } from '../../core/browser/browser-clipboard';
import { ToastStore } from '../../core/toasts/toast-store';
import { SldsButton, SldsFormElement, SldsInput, SldsScopedNotification } from '../../ui/slds';

/**
 * The freshly created token, shown this once: the backend keeps only a hash, so there is no way
 * to see it again. The field is read-only but selectable, as a fallback when copying is refused.
 */
@Component({
  selector: 'app-new-token-notice',
  imports: [SldsButton, SldsFormElement, SldsInput, SldsScopedNotification],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-box slds-theme_default', 'data-testid': 'new-token' },
  styles: ':host { display: block; }',
  template: `
    <slds-scoped-notification class="slds-m-bottom_small">
      Copy your new token <strong>{{ name() }}</strong> now. You will not be able to see it again.
    </slds-scoped-notification>
    <slds-form-element label="Your new API token" inputId="new-token-value">
      <div class="slds-grid slds-grid_vertical-align-center">
        <input
          sldsInput
          #tokenField
          type="text"
          readonly
          class="slds-text-font_monospace slds-col"
          [value]="token()"
          (focus)="tokenField.select()"
        />
        <button sldsButton="brand" type="button" class="slds-m-left_x-small" (click)="copy()">
          {{ isCopied() ? 'Copied' : 'Copy' }}
        </button>
      </div>
    </slds-form-element>
    <button sldsButton type="button" class="slds-m-top_small" (click)="dismissed.emit()">
      Done
    </button>
  `,
})
export class NewTokenNotice {
  private readonly clipboard = inject(BrowserClipboard);
  private readonly toasts = inject(ToastStore);

  readonly token = input.required<string>();
  readonly name = input.required<string>();
  readonly dismissed = output<void>();

  /** Back to "Copy" whenever a newer token replaces the one shown. */
  protected readonly isCopied = linkedSignal({ source: this.token, computation: () => false });
  private readonly tokenField = viewChild.required<ElementRef<HTMLInputElement>>('tokenField');

  constructor() {
    // Focus the token so keyboard and screen-reader users land on what they must copy.
    afterNextRender(() => this.tokenField().nativeElement.focus());
  }

  protected async copy(): Promise<void> {
    try {
      await this.clipboard.copy(this.token());
      this.isCopied.set(true);
      this.toasts.show('success', 'Token copied to the clipboard.');
    } catch {
      this.toasts.show(
        'error',
        'Copying was refused by the browser. Select the token and copy it.',
      );
    }
  }
}
