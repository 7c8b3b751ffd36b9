import type { WebhookEventType } from '@contract';
import { API_USAGE_WARNING_RATIO, WEBHOOK_EVENT_TYPES } from '@contract/limits';

/** `webhook.test` is sent on request ("Send test event"), never subscribed to. */
export type SubscribableEventType = Exclude<WebhookEventType, 'webhook.test'>;

export const SUBSCRIBABLE_EVENT_TYPES: readonly SubscribableEventType[] =
  WEBHOOK_EVENT_TYPES.filter((type): type is SubscribableEventType => type !== 'webhook.test');

/** What each event means, in words, for the form's checkboxes. */
export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'connection.connected': 'A Task was connected to Salesforce.',
  'connection.refreshed': "A Task's access token was refreshed.",
  'connection.degraded': "A Task's connection is failing its health checks.",
  'connection.recovered': 'A degraded connection works again.',
  'connection.reconnect_needed': 'Salesforce refused the connection: someone must reconnect.',
  'connection.disconnected': 'A Task was disconnected from Salesforce.',
  'connection.api_usage_high': `A Task's org used over ${API_USAGE_WARNING_RATIO * 100}% of its daily API requests.`,
  'webhook.test': 'A test event, sent on request.',
};

/** An endpoint's events in a table cell: "All connection events", or the short names. */
export function summariseEvents(events: readonly WebhookEventType[]): string {
  const subscribed = new Set(events);
  if (SUBSCRIBABLE_EVENT_TYPES.every((type) => subscribed.has(type))) {
    return 'All connection events';
  }
  return events.map((type) => type.replace(/^connection\./, '')).join(', ');
}
