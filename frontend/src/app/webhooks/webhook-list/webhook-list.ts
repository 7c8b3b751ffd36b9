import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { CreateWebhookResponse, Webhook } from '@contract';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { RemoteData } from '../../core/api/remote-data';
import { ToastStore } from '../../core/toasts/toast-store';
import { ConfirmModal } from '../../ui/confirm-modal/confirm-modal';
import { OneTimeSecret } from '../../ui/one-time-secret/one-time-secret';
import {
  SldsAlert,
  SldsButton,
  SldsButtonIcon,
  SldsCard,
  SldsCheckboxToggle,
  SldsPageHeader,
  SldsSpinner,
} from '../../ui/slds';
import { WebhookCreateForm } from '../webhook-create-form/webhook-create-form';
import { WebhookDeliveries } from '../webhook-deliveries/webhook-deliveries';
import { summariseEvents } from '../webhook-events';
import { WebhooksApi } from '../webhooks-api';

/**
 * The signed-in user's webhook endpoints: create (the signing secret shown once), enable or
 * disable, send a test event, delete; each row unfolds into its deliveries.
 */
@Component({
  selector: 'app-webhook-list',
  imports: [
    ConfirmModal,
    DatePipe,
    OneTimeSecret,
    SldsAlert,
    SldsButton,
    SldsButtonIcon,
    SldsCard,
    SldsCheckboxToggle,
    SldsPageHeader,
    SldsSpinner,
    WebhookCreateForm,
    WebhookDeliveries,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  // A URL has no spaces to wrap at: break it anywhere rather than widen the table.
  styles: '.endpoint-url { word-break: break-all; }',
  templateUrl: './webhook-list.html',
})
export class WebhookList {
  private readonly webhooksApi = inject(WebhooksApi);
  private readonly toasts = inject(ToastStore);

  protected readonly summariseEvents = summariseEvents;

  protected readonly webhooks = new RemoteData<readonly Webhook[]>({
    loader: () => this.webhooksApi.list(),
    initial: [],
  });
  /** Only in memory, and only until dismissed or the page is left: never stored anywhere. */
  protected readonly created = signal<CreateWebhookResponse | null>(null);
  /** Endpoints whose deliveries are unfolded, each with a count bumped to make them load again. */
  protected readonly expanded = signal<ReadonlyMap<string, number>>(new Map());
  /** Endpoints with an enable/disable or test request in flight. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());
  protected readonly pendingDelete = signal<Webhook | null>(null);
  protected readonly isDeleting = signal(false);
  protected readonly deleteError = signal<string | null>(null);

  protected onCreated(answer: CreateWebhookResponse): void {
    this.created.set(answer);
    this.webhooks.value.update((list) => [answer.webhook, ...list]);
  }

  protected toggleDeliveries(webhook: Webhook): void {
    this.expanded.update((open) => {
      const next = new Map(open);
      if (next.has(webhook.id)) next.delete(webhook.id);
      else next.set(webhook.id, 0);
      return next;
    });
  }

  /** Shown at once; put back, with the reason, if the server says no. */
  protected async setEnabled(webhook: Webhook, enabled: boolean): Promise<void> {
    this.replace({ ...webhook, enabled });
    this.setBusy(webhook.id, true);
    try {
      this.replace(await firstValueFrom(this.webhooksApi.update(webhook.id, { enabled })));
      this.toasts.show(
        'success',
        enabled ? `Sending events to ${webhook.url} again.` : `Paused events to ${webhook.url}.`,
      );
    } catch (err) {
      this.replace(webhook);
      this.toasts.show('error', ApiError.from(err).message);
    } finally {
      this.setBusy(webhook.id, false);
    }
  }

  /** Queues a `webhook.test` event, then shows this endpoint's deliveries with it. */
  protected async sendTest(webhook: Webhook): Promise<void> {
    this.setBusy(webhook.id, true);
    try {
      await firstValueFrom(this.webhooksApi.sendTest(webhook.id));
      this.toasts.show('success', `Test event queued for ${webhook.url}.`);
      this.expanded.update((open) =>
        new Map(open).set(webhook.id, (open.get(webhook.id) ?? -1) + 1),
      );
    } catch (err) {
      this.toasts.show('error', ApiError.from(err).message);
    } finally {
      this.setBusy(webhook.id, false);
    }
  }

  protected confirmDelete(webhook: Webhook): void {
    this.deleteError.set(null);
    this.pendingDelete.set(webhook);
  }

  protected async deleteWebhook(webhook: Webhook): Promise<void> {
    this.isDeleting.set(true);
    this.deleteError.set(null);
    try {
      await firstValueFrom(this.webhooksApi.remove(webhook.id), { defaultValue: undefined });
      this.webhooks.value.update((list) => list.filter((w) => w.id !== webhook.id));
      this.expanded.update((open) => {
        const next = new Map(open);
        next.delete(webhook.id);
        return next;
      });
      if (this.created()?.webhook.id === webhook.id) this.created.set(null);
      this.pendingDelete.set(null);
      this.toasts.show('success', `Webhook endpoint ${webhook.url} deleted.`);
    } catch (err) {
      this.deleteError.set(ApiError.from(err).message);
    } finally {
      this.isDeleting.set(false);
    }
  }

  private replace(webhook: Webhook): void {
    this.webhooks.value.update((list) => list.map((w) => (w.id === webhook.id ? webhook : w)));
  }

  private setBusy(webhookId: string, on: boolean): void {
    this.busy.update((ids) => {
      const next = new Set(ids);
      if (on) next.add(webhookId);
      else next.delete(webhookId);
      return next;
    });
  }
}
