import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ToastStore } from '../../core/toasts/toast-store';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import { SldsButton } from '../../ui/slds';
import { SalesforceApi } from '../salesforce-api';

/** "Disconnect" behind a confirmation: the backend revokes the token at Salesforce, then forgets it. */
@Component({
  selector: 'app-disconnect-button',
  imports: [ConfirmModal, SldsButton],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button sldsButton="text-destructive" type="button" (click)="isConfirming.set(true)">
      Disconnect
    </button>
    @if (isConfirming()) {
      <app-confirm-modal
        heading="Disconnect from Salesforce?"
        confirmLabel="Disconnect"
        destructive
        [busy]="isDisconnecting()"
        [error]="error()"
        (confirmed)="disconnect()"
        (cancelled)="cancel()"
      >
        <p>
          The app gives its access back to Salesforce and forgets this connection. To use Salesforce
          with this task again you will have to connect it again.
        </p>
      </app-confirm-modal>
    }
  `,
})
export class DisconnectButton {
  private readonly salesforceApi = inject(SalesforceApi);
  private readonly toasts = inject(ToastStore);

  readonly taskId = input.required<string>();
  readonly disconnected = output<void>();

  protected readonly isConfirming = signal(false);
  protected readonly isDisconnecting = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async disconnect(): Promise<void> {
    this.isDisconnecting.set(true);
    this.error.set(null);
    try {
      await firstValueFrom(this.salesforceApi.disconnect(this.taskId()), {
        defaultValue: undefined,
      });
      this.isConfirming.set(false);
      this.toasts.show('success', 'Disconnected from Salesforce.');
      this.disconnected.emit();
    } catch (err) {
      this.error.set(ApiError.from(err).message);
    } finally {
      this.isDisconnecting.set(false);
    }
  }

  protected cancel(): void {
    this.isConfirming.set(false);
    this.error.set(null);
  }
}
