import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { ToastStore } from '../../core/toasts/toast-store';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import { SldsAlert, SldsButton, SldsCard, SldsPageHeader, SldsSpinner } from '../../ui/slds';
import { ApiToken, CreateApiTokenResponse } from '../api-token';
import { NewTokenNotice } from '../new-token-notice/new-token-notice';
import { TokenCreateForm } from '../token-create-form/token-create-form';
import { TokensApi } from '../tokens-api';

/** The signed-in user's API tokens for other services: create (shown once), list, revoke. */
@Component({
  selector: 'app-token-list',
  imports: [
    ConfirmModal,
    DatePipe,
    NewTokenNotice,
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

  protected readonly tokens = signal<readonly ApiToken[]>([]);
  protected readonly isLoading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  /** Only in memory, and only until dismissed or the page is left: never stored anywhere. */
  protected readonly created = signal<CreateApiTokenResponse | null>(null);
  protected readonly pendingRevoke = signal<ApiToken | null>(null);
  protected readonly isRevoking = signal(false);
  protected readonly revokeError = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.isLoading.set(true);
    this.loadError.set(null);
    try {
      this.tokens.set(await firstValueFrom(this.tokensApi.list()));
    } catch (err) {
      this.loadError.set(ApiError.from(err).message);
    } finally {
      this.isLoading.set(false);
    }
  }

  protected onCreated(answer: CreateApiTokenResponse): void {
    this.created.set(answer);
    this.tokens.update((list) => [answer.api_token, ...list]);
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
      this.tokens.update((list) => list.filter((t) => t.id !== token.id));
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
