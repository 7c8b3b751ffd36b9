import { booleanAttribute, ChangeDetectionStrategy, Component, inject, input } from '@angular/core';

import { SldsToast } from '../../ui/slds/toast';
import { ToastStore } from './toast-store';

/**
 * Renders ToastStore: one column under the page header, oldest on top, so a new toast never moves
 * the one being read. The live region is always in the DOM (only its content changes), which is
 * what makes screen readers announce a toast when it appears.
 *
 * SLDS's container is fixed at the very top and its toasts are inline boxes, so several sat side
 * by side over the header; the styles below stack them instead. The offsets are SLDS's heights:
 * the global header is 3.125rem, the navigation bar under it 2.5rem plus its 3px border.
 */
@Component({
  selector: 'app-toast-container',
  imports: [SldsToast],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .slds-notify_container {
      top: calc(3.125rem + 0.5rem);
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 0.5rem;
      padding: 0 0.5rem;
      /* Full width but see-through for the pointer: the page under the gaps stays clickable. */
      pointer-events: none;
    }
    .slds-notify_container.below-navigation {
      top: calc(3.125rem + 2.5rem + 3px + 0.5rem);
    }
    slds-toast {
      pointer-events: auto;
      margin: 0;
      /* SLDS's 30rem minimum would overflow a phone. */
      min-width: min(30rem, 100%);
      max-width: 100%;
    }
  `,
  template: `
    <div
      class="slds-notify_container"
      [class.below-navigation]="belowNavigation()"
      aria-live="polite"
      aria-atomic="false"
    >
      @for (toast of toasts.toasts(); track toast.id) {
        <slds-toast [variant]="toast.variant" (closed)="toasts.dismiss(toast.id)">{{
          toast.message
        }}</slds-toast>
      }
    </div>
  `,
})
export class ToastContainer {
  protected readonly toasts = inject(ToastStore);

  /** The navigation bar shows under the header (signed in): the toasts start below it. */
  readonly belowNavigation = input(false, { transform: booleanAttribute });
}
