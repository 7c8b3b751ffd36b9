import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import type { ApiToken, CreatedApiToken, Task } from '@contract';
import { firstValueFrom, of } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { RemoteData } from '../../core/api/remote-data';
import { ToastStore } from '../../core/toasts/toast-store';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import { OneTimeSecret } from '../../ui/one-time-secret/one-time-secret';
import { TasksApi } from '../../tasks/tasks-api';
import {
  SldsAlert,
  SldsBadge,
  SldsButton,
  SldsCard,
  SldsPageHeader,
  SldsSpinner,
} from '../../ui/slds';
import { TokenCreateForm } from '../token-create-form/token-create-form';
import { orderedScopes, summariseScopes } from '../token-scopes';
import { TokensApi } from '../tokens-api';

/** A table cell's worth: what shows, and the whole of it for the title. */
interface CellText {
  text: string;
  title: string;
}

/** Up to this many Task names show in a row; more show as a count. */
const NAMED_TASKS = 2;

/** The signed-in user's API tokens for other services: create (shown once), list, revoke. */
@Component({
  selector: 'app-token-list',
  imports: [
    ConfirmModal,
    DatePipe,
    DecimalPipe,
    OneTimeSecret,
    SldsAlert,
    SldsBadge,
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
  private readonly tasksApi = inject(TasksApi);
  private readonly toasts = inject(ToastStore);

  protected readonly tokens = new RemoteData<readonly ApiToken[]>({
    loader: () => this.tokensApi.list(),
    initial: [],
  });
  /** Task names are only needed, and loaded, once some token is limited to some Tasks. */
  private readonly needsTaskNames = computed(() =>
    this.tokens.value().some((token) => token.task_ids !== null),
  );
  private readonly tasks = new RemoteData<readonly Task[], boolean>({
    request: () => this.needsTaskNames(),
    loader: (wanted) => (wanted ? this.tasksApi.listAll() : of([])),
    initial: [],
  });
  private readonly taskNames = computed(
    () => new Map(this.tasks.value().map((task) => [task.id, task.name])),
  );
  /** Only in memory, and only until dismissed or the page is left: never stored anywhere. */
  protected readonly created = signal<CreatedApiToken | null>(null);
  protected readonly pendingRevoke = signal<ApiToken | null>(null);
  protected readonly isRevoking = signal(false);
  protected readonly revokeError = signal<string | null>(null);

  protected scopesOf(token: ApiToken): CellText {
    return { text: summariseScopes(token.scopes), title: orderedScopes(token.scopes).join(', ') };
  }

  /** "All Tasks", the names of one or two, or how many (their names in the title). */
  protected tasksOf(token: ApiToken): CellText {
    const ids = token.task_ids;
    if (ids === null) return { text: 'All Tasks', title: "All of the user's Tasks" };
    const names = ids.flatMap((id) => this.taskNames().get(id) ?? []);
    const title = names.join(', ');
    if (names.length === ids.length && ids.length > 0 && ids.length <= NAMED_TASKS) {
      return { text: title, title };
    }
    return { text: ids.length === 1 ? '1 Task' : `${ids.length} Tasks`, title };
  }

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
