import type { ConnectionEvent } from '@contract';

import { SldsTimelineTheme } from '../ui/slds';

/** How one history entry is shown: a one-line text and an icon from the standard sprite. */
export interface ConnectionEventView {
  text: string;
  icon: string;
  iconLabel: string;
  theme: SldsTimelineTheme;
}

function textOf(detail: Record<string, unknown>, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = detail[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return null;
}

/** Appends ": <reason>" when the event says why. */
function withReason(text: string, detail: Record<string, unknown>): string {
  const reason = textOf(detail, 'reason', 'message', 'error');
  return reason ? `${text}: ${reason}` : text;
}

function describeTest(detail: Record<string, unknown>): string {
  const refreshed = detail['refreshed'] === true ? ' (token refreshed)' : '';
  if (detail['status'] === true) return `Connection tested: OK${refreshed}`;
  const why = textOf(detail, 'message', 'code'); // the backend records the code, not the text
  return `Connection tested: failed${refreshed}${why ? ` (${why})` : ''}`;
}

/** The readable line for a history entry; unknown kinds still show, by their raw name. */
export function describeConnectionEvent(event: ConnectionEvent): ConnectionEventView {
  const detail = event.detail ?? {};
  switch (event.kind) {
    case 'connected': {
      const who = textOf(detail, 'username');
      const text = who ? `Connected as ${who}` : 'Connected to Salesforce';
      return { text, icon: 'linked', iconLabel: 'Connected', theme: 'task' };
    }
    case 'refreshed':
      return {
        text: 'Access token refreshed',
        icon: 'recent',
        iconLabel: 'Refreshed',
        theme: 'event',
      };
    case 'refresh_failed':
      return {
        text: withReason('Token refresh failed', detail),
        icon: 'incident',
        iconLabel: 'Refresh failed',
        theme: 'call',
      };
    case 'tested':
      return { text: describeTest(detail), icon: 'task', iconLabel: 'Tested', theme: 'task' };
    case 'disconnected': {
      // revoked: false means Salesforce could not be told; the grant may live on in the org.
      const text =
        detail['revoked'] === false
          ? 'Disconnected (Salesforce could not be reached to revoke access)'
          : 'Disconnected';
      return { text, icon: 'unmatched', iconLabel: 'Disconnected', theme: 'email' };
    }
    case 'reconnect_needed':
      return {
        text: withReason('Reconnect needed', detail),
        icon: 'password',
        iconLabel: 'Reconnect needed',
        theme: 'call',
      };
    default:
      return { text: String(event.kind), icon: 'record', iconLabel: 'Event', theme: 'email' };
  }
}
