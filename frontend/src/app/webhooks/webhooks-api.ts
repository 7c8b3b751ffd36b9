import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CreateWebhook,
  CreateWebhookResponse,
  UpdateWebhook,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryListResponse,
  WebhookListResponse,
  WebhookResponse,
} from '@contract';
import { map, Observable } from 'rxjs';

import { API_BASE_URL } from '../core/api/api-base-url';
import type { Page } from '../core/api/paged-data';

/** `POST …/test` and `…/retry` answer the delivery they queued. */
interface DeliveryResponse {
  delivery: WebhookDelivery;
}

/** HTTP for /api/webhooks. Errors arrive as ApiError (see apiErrorInterceptor). */
@Injectable({ providedIn: 'root' })
export class WebhooksApi {
  private readonly http = inject(HttpClient);
  private readonly baseUrl = `${inject(API_BASE_URL)}/webhooks`;

  list(): Observable<Webhook[]> {
    return this.http.get<WebhookListResponse>(this.baseUrl).pipe(map((body) => body.webhooks));
  }

  /** The answer carries the signing secret: the only time the backend ever sends it. */
  create(request: CreateWebhook): Observable<CreateWebhookResponse> {
    return this.http.post<CreateWebhookResponse>(this.baseUrl, request);
  }

  update(webhookId: string, changes: UpdateWebhook): Observable<Webhook> {
    return this.http
      .patch<WebhookResponse>(this.url(webhookId), changes)
      .pipe(map((body) => body.webhook));
  }

  remove(webhookId: string): Observable<void> {
    return this.http.delete<void>(this.url(webhookId));
  }

  /** Queues a `webhook.test` event for this endpoint, whatever it subscribes to. */
  sendTest(webhookId: string): Observable<WebhookDelivery> {
    return this.http
      .post<DeliveryResponse>(`${this.url(webhookId)}/test`, {})
      .pipe(map((body) => body.delivery));
  }

  /** One page of the endpoint's deliveries, newest first (50, the backend's default), after `cursor`. */
  deliveries(webhookId: string, cursor: string | null = null): Observable<Page<WebhookDelivery>> {
    const params = cursor ? new HttpParams().set('cursor', cursor) : undefined;
    return this.http
      .get<WebhookDeliveryListResponse>(`${this.url(webhookId)}/deliveries`, { params })
      .pipe(map((body) => ({ items: body.deliveries, nextCursor: body.next_cursor ?? null })));
  }

  /** Sends the delivery's event again, with the same `webhook-id` (event_id). */
  redeliver(webhookId: string, deliveryId: string): Observable<WebhookDelivery> {
    return this.http
      .post<DeliveryResponse>(
        `${this.url(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}/retry`,
        {},
      )
      .pipe(map((body) => body.delivery));
  }

  private url(webhookId: string): string {
    return `${this.baseUrl}/${encodeURIComponent(webhookId)}`;
  }
}
