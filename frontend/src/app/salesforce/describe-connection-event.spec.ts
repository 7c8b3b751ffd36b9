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
    expect(textOf('tested', { status: false, code: 'salesforce_api_error' })).toBe(
      'Connection tested: failed (salesforce_api_error)',
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

  it('when kinds differ, then each gets its own standard icon', () => {
    const kinds: ConnectionEvent['kind'][] = [
      'connected',
      'refreshed',
      'refresh_failed',
      'tested',
      'disconnected',
      'reconnect_needed',
    ];

    const icons = kinds.map((kind) => describeConnectionEvent(makeEvent({ kind })).icon);

    expect(new Set(icons).size).toBe(kinds.length);
  });

  it('when the kind is unknown, then its raw name still shows', () => {
    const event = makeEvent({ kind: 'renamed' as ConnectionEvent['kind'] });

    expect(describeConnectionEvent(event).text).toBe('renamed');
  });
});
