import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { ApiToken, CreatedApiToken } from '@contract';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { RemoteData } from '../../core/api/remote-data';
import { ToastStore } from '../../core/toasts/toast-store';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import { OneTimeSecret } from '../../ui/one-time-secret/one-time-secret';
import { SldsAlert, SldsButton, SldsCard, SldsPageHeader, SldsSpinner } from '../../ui/slds';
import { TokenCreateForm } from '../token-create-form/token-create-form';
import { TokensApi } from '../tokens-api';

/** The signed-in user's API tokens for other services: create (shown once), list, revoke. */
@Component({
  selector: 'app-token-list',
  imports: [
    ConfirmModal,
    DatePipe,
    OneTimeSecret,
    SldsAlert,
    SldsButton,
    SldsCard,
    SldsPageHeader,
    SldsSpinner,
    TokenCreateForm,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './token-list.html',
})
export class TokenList {
  private readonly tokensApi = inject(TokensApi);
  private readonly toasts = inject(ToastStore);

  protected readonly tokens = new RemoteData<readonly ApiToken[]>({
    loader: () => this.tokensApi.list(),
    initial: [],
  });
  /** Only in memory, and only until dismissed or the page is left: never stored anywhere. */
  protected readonly created = signal<CreatedApiToken | null>(null);
  protected readonly pendingRevoke = signal<ApiToken | null>(null);
  protected readonly isRevoking = signal(false);
  protected readonly revokeError = signal<string | null>(null);

  protected onCreated(answer: CreatedApiToken): void {
    this.created.set(answer);
    this.tokens.value.update((list) => [answer.api_token, ...list]);
  }

  protected confirmRevoke(token: ApiToken): void {
    this.revokeError.set(null);
    this.pendingRevoke.set(token);
  }

  protected async revoke(token: ApiToken): Promise<void> {
    this.isRevoking.set(true);
    this.revokeError.set(null);
    try {
      await firstValueFrom(this.tokensApi.revoke(token.id), { defaultValue: undefined });
      this.tokens.value.update((list) => list.filter((t) => t.id !== token.id));
      if (this.created()?.api_token.id === token.id) this.created.set(null);
      this.pendingRevoke.set(null);
      this.toasts.show('success', `Token "${token.name}" revoked.`);
    } catch (err) {
      this.revokeError.set(ApiError.from(err).message);
    } finally {
      this.isRevoking.set(false);
    }
  }
}
