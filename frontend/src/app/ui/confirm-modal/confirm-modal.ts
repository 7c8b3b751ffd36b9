import { booleanAttribute, ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import { SldsAlert, SldsButton, SldsModal, SldsSpinner } from '../slds';

/**
 * "Are you sure?" on top of SldsModal: the question is the content, then Cancel and the confirm
 * button. While `busy` (the request is running) neither button works and Escape is ignored, so the
 * person cannot close the dialog on a half-done action; `error` keeps it open with the reason.
 */
@Component({
  selector: 'app-confirm-modal',
  imports: [SldsAlert, SldsButton, SldsModal, SldsSpinner],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <slds-modal [heading]="heading()" (closed)="cancel()">
      @if (error(); as message) {
        <slds-alert variant="error" class="slds-m-bottom_small">{{ message }}</slds-alert>
      }
      <ng-content />
      @if (busy()) {
        <slds-spinner size="small" label="Working" />
      }
      <ng-container ngProjectAs="[sldsModalFooter]">
        <button sldsButton type="button" [disabled]="busy()" (click)="cancel()">Cancel</button>
        <button
          type="button"
          [sldsButton]="destructive() ? 'destructive' : 'brand'"
          [disabled]="busy()"
          (click)="confirmed.emit()"
        >
          {{ confirmLabel() }}
        </button>
      </ng-container>
    </slds-modal>
  `,
})
export class ConfirmModal {
  readonly heading = input.required<string>();
  readonly confirmLabel = input.required<string>();
  readonly destructive = input(false, { transform: booleanAttribute });
  readonly busy = input(false);
  readonly error = input<string | null>(null);

  readonly confirmed = output<void>();
  readonly cancelled = output<void>();

  protected cancel(): void {
    if (!this.busy()) this.cancelled.emit();
  }
}
