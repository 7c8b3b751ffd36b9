import type { ConnectionEvent } from '@contract';

import { makeEvent } from '../../testing/task-fixtures';
import { describeConnectionEvent } from './describe-connection-event';

const textOf = (kind: ConnectionEvent['kind'], detail: Record<string, unknown> = {}) =>
  describeConnectionEvent(makeEvent({ kind, detail })).text;

describe('describeConnectionEvent', () => {
  it('when a test passed after a refresh, then it says so in one line', () => {
    expect(textOf('tested', { status: true, refreshed: true })).toBe(
      'Connection tested: OK (token refreshed)',
    );
    expect(textOf('tested', { status: true, refreshed: false })).toBe('Connection tested: OK');
  });

  it('when a test failed, then the line carries its message', () => {
    expect(textOf('tested', { status: false, message: 'Salesforce is down' })).toBe(
      'Connection tested: failed (Salesforce is down)',
    );
    expect(textOf('tested', { status: false, code: 'salesforce_reconnect_needed' })).toBe(
      'Connection tested: failed (Salesforce refused the connection)',
    );
    expect(textOf('tested', { status: false, code: 'salesforce_timeout' })).toBe(
      'Connection tested: failed (Salesforce did not answer in time)',
    );
    expect(textOf('tested', { status: false, code: 'salesforce_new_thing' })).toBe(
      'Connection tested: failed (salesforce_new_thing)',
    );
    expect(textOf('tested', { status: false })).toBe('Connection tested: failed');
  });

  it('when connected, then it names the Salesforce user', () => {
    expect(textOf('connected', { username: 'ada@acme.com' })).toBe('Connected as ada@acme.com');
    expect(textOf('connected')).toBe('Connected to Salesforce');
  });

  it('when refreshed or disconnected, then it says so plainly', () => {
    expect(textOf('refreshed')).toBe('Access token refreshed');
    expect(textOf('disconnected', { revoked: true })).toBe('Disconnected');
    expect(textOf('disconnected', { revoked: false })).toBe(
      'Disconnected (Salesforce could not be reached to revoke access)',
    );
  });

  it('when a reconnect is needed or a refresh failed, then the reason follows', () => {
    expect(textOf('reconnect_needed', { reason: 'expired access/refresh token' })).toBe(
      'Reconnect needed: expired access/refresh token',
    );
    expect(textOf('reconnect_needed')).toBe('Reconnect needed');
    expect(textOf('refresh_failed', { message: 'timeout' })).toBe('Token refresh failed: timeout');
  });

  it('when the health changes or Salesforce evicts the connection, then it says so in words', () => {
    expect(textOf('health_degraded', { reason: 'Salesforce did not answer in time.' })).toBe(
      'Connection degraded: Salesforce did not answer in time.',
    );
    expect(textOf('health_degraded')).toBe('Connection degraded');
    expect(textOf('health_recovered')).toBe('Connection healthy again');
    const reason =
      "Salesforce revoked this connection because the Task 'Quarterly sync' connected as the same Salesforce user.";
    expect(textOf('evicted', { reason, by_task_id: 't9' })).toBe(reason);
    expect(textOf('evicted')).toBe('Salesforce revoked this connection for a newer one');
  });

  it('when the org used most of its API requests, then it says so with the numbers', () => {
    const reason = 'The org has used 12500 of its 15000 API requests today';
    expect(textOf('api_usage_high', { used: 12500, limit: 15000, reason })).toBe(
      `API usage high: ${reason}`,
    );
    expect(textOf('api_usage_high')).toBe('API usage high');
  });

  it('when evicted by another Task, then the view carries that Task for a link', () => {
    const view = (detail: Record<string, unknown>) =>
      describeConnectionEvent(makeEvent({ kind: 'evicted', detail }));

    expect(view({ reason: 'r', by_task_id: 't9' }).byTaskId).toBe('t9');
    expect(view({ reason: 'r' }).byTaskId).toBeNull();
    expect(describeConnectionEvent(makeEvent({ kind: 'connected' })).byTaskId).toBeNull();
  });

  it('when an entry went wrong, then it gets the utility error or warning icon and tone', () => {
    const look = (kind: ConnectionEvent['kind'], detail: Record<string, unknown> = {}) => {
      const { icon, sprite, tone } = describeConnectionEvent(makeEvent({ kind, detail }));
      return { icon, sprite, tone };
    };
    const error = { icon: 'error', sprite: 'utility', tone: 'error' };

    expect(look('refresh_failed')).toEqual(error);
    expect(look('reconnect_needed')).toEqual(error);
    expect(look('evicted')).toEqual(error);
    expect(look('tested', { status: false })).toEqual(error);
    for (const kind of ['health_degraded', 'api_usage_high'] as const) {
      expect(look(kind)).toEqual({ icon: 'warning', sprite: 'utility', tone: 'warning' });
    }
  });

  it('when an entry went right, then each kind keeps a standard icon of its own', () => {
    const kinds: [ConnectionEvent['kind'], Record<string, unknown>][] = [
      ['connected', {}],
      ['refreshed', {}],
      ['tested', { status: true }],
      ['disconnected', {}],
      ['health_recovered', {}],
    ];

    const views = kinds.map(([kind, detail]) =>
      describeConnectionEvent(makeEvent({ kind, detail })),
    );

    expect(views.every((v) => v.sprite === 'standard' && v.tone === 'default')).toBe(true);
    expect(new Set(views.map((v) => v.icon)).size).toBe(kinds.length);
  });

  it('when the kind is unknown, then its raw name still shows', () => {
    const event = makeEvent({ kind: 'renamed' as ConnectionEvent['kind'] });

    expect(describeConnectionEvent(event).text).toBe('renamed');
  });
});
