import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import { SldsIcon } from './icon';

export type SldsToastVariant = 'info' | 'success' | 'warning' | 'error';

/**
 * One SLDS toast. Put it inside a `.slds-notify_container`; the message is the content. Errors and
 * warnings are alerts (announced at once), the rest statuses (announced when the reader is idle).
 */
@Component({
  selector: 'slds-toast',
  imports: [SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'slds-notify slds-notify_toast',
    '[attr.role]': "variant() === 'error' || variant() === 'warning' ? 'alert' : 'status'",
    '[class]': "'slds-theme_' + variant()",
  },
  template: `
    <span class="slds-assistive-text">{{ variant() }}</span>
    <slds-icon
      class="slds-m-right_small slds-no-flex slds-align-top"
      [name]="variant()"
      size="small"
    />
    <div class="slds-notify__content">
      <h2 class="slds-text-heading_small"><ng-content /></h2>
    </div>
    <div class="slds-notify__close">
      <!-- SLDS's warning theme is dark text on yellow, so only it keeps the non-inverse close icon. -->
      <button
        type="button"
        class="slds-button slds-button_icon"
        [class.slds-button_icon-inverse]="variant() !== 'warning'"
        title="Close"
        (click)="closed.emit()"
      >
        <svg class="slds-button__icon slds-button__icon_large" aria-hidden="true">
          <use href="/assets/icons/utility-sprite/svg/symbols.svg#close" />
        </svg>
        <span class="slds-assistive-text">Close</span>
      </button>
    </div>
  `,
})
export class SldsToast {
  readonly variant = input<SldsToastVariant>('info');
  readonly closed = output<void>();
}
