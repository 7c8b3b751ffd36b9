import { ALL_CONNECTION_EVENTS } from '../../testing/webhook-fixtures';
import { SUBSCRIBABLE_EVENT_TYPES, summariseEvents } from './webhook-events';

describe('webhook events', () => {
  it('when listing what can be subscribed to, then it is every connection event but not webhook.test', () => {
    expect(SUBSCRIBABLE_EVENT_TYPES).toEqual(ALL_CONNECTION_EVENTS);
  });

  it('when an endpoint has every connection event, then it says so in three words', () => {
    expect(summariseEvents(ALL_CONNECTION_EVENTS)).toBe('All connection events');
    expect(summariseEvents([...ALL_CONNECTION_EVENTS].reverse())).toBe('All connection events');
  });

  it('when it has some, then their short names, in its order', () => {
    expect(summariseEvents(['connection.reconnect_needed', 'connection.connected'])).toBe(
      'reconnect_needed, connected',
    );
  });
});
