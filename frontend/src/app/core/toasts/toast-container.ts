import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { SldsToast } from '../../ui/slds/toast';
import { ToastStore } from './toast-store';

/**
 * Renders ToastStore. The live region is always in the DOM (only its content changes), which is
 * what makes screen readers announce a toast when it appears.
 */
@Component({
  selector: 'app-toast-container',
  imports: [SldsToast],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="slds-notify_container" aria-live="polite" aria-atomic="false">
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
}
