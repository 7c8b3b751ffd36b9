import { DatePipe, JsonPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  InjectionToken,
  input,
  signal,
} from '@angular/core';
import type { WebhookDelivery } from '@contract';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { PagedData } from '../../core/api/paged-data';
import { Clock } from '../../core/time/clock';
import { relativeTime } from '../../core/time/relative-time';
import { ToastStore } from '../../core/toasts/toast-store';
import { SldsAlert, SldsBadge, SldsBadgeVariant, SldsButton, SldsSpinner } from '../../ui/slds';
import { WebhooksApi } from '../webhooks-api';

/** How often the table asks again while a delivery is pending (the backend sends within seconds). */
export const DELIVERY_POLL_MS = new InjectionToken<number>('DELIVERY_POLL_MS', {
  providedIn: 'root',
  factory: () => 2000,
});

const STATUS_BADGES: Record<
  WebhookDelivery['status'],
  { label: string; variant: SldsBadgeVariant }
> = {
  succeeded: { label: 'Succeeded', variant: 'success' },
  pending: { label: 'Pending', variant: 'default' },
  failed: { label: 'Failed', variant: 'error' },
};

/**
 * One endpoint's deliveries, newest first: when, which event, how it went (status, attempts, the
 * last HTTP status or error, the next attempt), the payload on demand, and Redeliver. While any
 * delivery is pending it asks again every couple of seconds, and stops when none is, or when it
 * leaves the page.
 */
@Component({
  selector: 'app-webhook-deliveries',
  imports: [DatePipe, JsonPipe, SldsAlert, SldsBadge, SldsButton, SldsSpinner],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    :host {
      display: block;
    }
    pre {
      max-height: 24rem;
      overflow: auto;
      white-space: pre-wrap;
      word-break: break-word;
    }
  `,
  templateUrl: './webhook-deliveries.html',
})
export class WebhookDeliveries {
  private readonly webhooksApi = inject(WebhooksApi);
  private readonly toasts = inject(ToastStore);
  private readonly clock = inject(Clock);
  private readonly pollMs = inject(DELIVERY_POLL_MS);

  readonly webhookId = input.required<string>();
  /** The endpoint's URL, to name the table for screen readers. */
  readonly url = input.required<string>();
  /** Bumped by the page when it queued an event here (Send test event): loads again. */
  readonly revision = input(0);

  // Polling and redelivery reload the newest page; older pages the person loaded stay.
  protected readonly deliveries = new PagedData<
    WebhookDelivery,
    { webhookId: string; revision: number }
  >({
    request: () => ({ webhookId: this.webhookId(), revision: this.revision() }),
    loader: ({ webhookId }, cursor) => this.webhooksApi.deliveries(webhookId, cursor),
    keepOlderBy: (delivery) => delivery.id,
  });
  protected readonly rows = computed(() =>
    this.deliveries.items().map((delivery) => ({
      delivery,
      badge: STATUS_BADGES[delivery.status],
      nextAttempt: this.nextAttempt(delivery),
    })),
  );
  protected readonly hasPending = computed(() =>
    this.deliveries.items().some((delivery) => delivery.status === 'pending'),
  );
  /** Deliveries whose payload is unfolded. */
  protected readonly openPayloads = signal<ReadonlySet<string>>(new Set());
  /** Deliveries whose Redeliver request is in flight. */
  protected readonly redelivering = signal<ReadonlySet<string>>(new Set());

  constructor() {
    // One timer at a time, set after each answer: a slow answer never piles requests up, and the
    // effect's cleanup clears it when the list has nothing pending any more or the page is left.
    effect((onCleanup) => {
      if (this.deliveries.isLoading() || !this.hasPending()) return;
      const timer = setTimeout(() => void this.deliveries.load(), this.pollMs);
      onCleanup(() => clearTimeout(timer));
    });
  }

  protected refresh(): Promise<void> {
    return this.deliveries.load();
  }

  protected togglePayload(deliveryId: string): void {
    this.openPayloads.update((open) => toggled(open, deliveryId, !open.has(deliveryId)));
  }

  protected async redeliver(delivery: WebhookDelivery): Promise<void> {
    this.redelivering.update((busy) => toggled(busy, delivery.id, true));
    try {
      await firstValueFrom(this.webhooksApi.redeliver(this.webhookId(), delivery.id));
      this.toasts.show('success', `Sending ${delivery.type} again.`);
      await this.deliveries.load();
    } catch (err) {
      this.toasts.show('error', ApiError.from(err).message);
    } finally {
      this.redelivering.update((busy) => toggled(busy, delivery.id, false));
    }
  }

  private nextAttempt(delivery: WebhookDelivery): { at: string; text: string } | null {
    const at = delivery.next_attempt_at;
    if (delivery.status !== 'pending' || !at) return null;
    // An attempt starts a little after it is due: "1 minute ago" would read as a missed one.
    const due = Date.parse(at) <= this.clock.now();
    return { at, text: due ? 'due now' : relativeTime(at, this.clock.now()) };
  }
}

function toggled(set: ReadonlySet<string>, id: string, on: boolean): ReadonlySet<string> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}
