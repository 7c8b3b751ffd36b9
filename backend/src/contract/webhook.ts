import { z } from 'zod';
import { WEBHOOK_DESCRIPTION_MAX_LENGTH, WEBHOOK_EVENT_TYPES, WEBHOOK_URL_MAX_LENGTH } from './limits';
import { NextCursor, PageQuery } from './paging';
import { SalesforceConnection } from './salesforce-connection';
import { Text, Timestamp } from './text';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** An endpoint that receives the user's connection events. Its secret is never shown again after creation. */
export const Webhook = z.strictObject({
  id: z.uuid(),
  url: z.string(),
  events: z.array(WebhookEventType),
  enabled: z.boolean(),
  description: z.string(),
  created_at: Timestamp,
});
export type Webhook = z.infer<typeof Webhook>;

const Url = z.url({ protocol: /^https?$/ }).max(WEBHOOK_URL_MAX_LENGTH);
const Events = z.array(WebhookEventType).min(1).max(WEBHOOK_EVENT_TYPES.length);
const Description = Text.trim().max(WEBHOOK_DESCRIPTION_MAX_LENGTH);

/** `POST /api/webhooks`. */
export const CreateWebhook = z.strictObject({ url: Url, events: Events, description: Description.optional() });
export type CreateWebhook = z.input<typeof CreateWebhook>;

/** `PATCH /api/webhooks/:id`: only the fields to change. */
export const UpdateWebhook = z
  .strictObject({ url: Url.optional(), events: Events.optional(), description: Description.optional(), enabled: z.boolean().optional() })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'Give url, events, description or enabled');
export type UpdateWebhook = z.input<typeof UpdateWebhook>;

/** `POST /api/webhooks` answers the signing secret (`whsec_…`) this once. */
export const CreateWebhookResponse = z.strictObject({ webhook: Webhook, secret: z.string().startsWith('whsec_') });
export type CreateWebhookResponse = z.infer<typeof CreateWebhookResponse>;

export const WebhookResponse = z.strictObject({ webhook: Webhook });
export type WebhookResponse = z.infer<typeof WebhookResponse>;

export const WebhookListResponse = z.strictObject({ webhooks: z.array(Webhook) });
export type WebhookListResponse = z.infer<typeof WebhookListResponse>;

/** What an endpoint receives: the Task's connection as the API shows it, never a token. */
export const WebhookPayload = z.strictObject({
  type: WebhookEventType,
  timestamp: Timestamp,
  data: z.strictObject({
    task_id: z.uuid().nullable(),
    task_name: z.string().nullable(),
    connection: SalesforceConnection.nullable(),
    /** Why, in words, for degraded and reconnect_needed. */
    reason: z.string().optional(),
  }),
});
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;

/** One event sent (or being sent) to one endpoint, with its attempts. */
export const WebhookDelivery = z.strictObject({
  id: z.uuid(),
  /** The `webhook-id` header: the same on every attempt and redelivery. */
  event_id: z.string(),
  type: WebhookEventType,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  next_attempt_at: Timestamp.nullable(),
  created_at: Timestamp,
  delivered_at: Timestamp.nullable(),
  payload: WebhookPayload,
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

/** `GET /api/webhooks/:id/deliveries?limit=&cursor=`. */
export const WebhookDeliveryListQuery = PageQuery;
export type WebhookDeliveryListQuery = z.input<typeof WebhookDeliveryListQuery>;

/** `GET /api/webhooks/:id/deliveries`: newest first, one page. */
export const WebhookDeliveryListResponse = z.strictObject({ deliveries: z.array(WebhookDelivery), next_cursor: NextCursor });
export type WebhookDeliveryListResponse = z.infer<typeof WebhookDeliveryListResponse>;
