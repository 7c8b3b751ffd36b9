import type { ConnectionEvent } from '@contract';

import { SldsTimelineTheme, SldsTimelineTone } from '../ui/slds';

/**
 * How one history entry is shown: a one-line text and an icon. Entries that went right keep a
 * standard-sprite icon of their own; those that went wrong get the utility `error` or `warning`
 * icon and colour, so failures stand out when scanning the history.
 */
export interface ConnectionEventView {
  text: string;
  icon: string;
  sprite: 'standard' | 'utility';
  iconLabel: string;
  theme: SldsTimelineTheme;
  tone: SldsTimelineTone;
  /** `evicted`: the Task whose connection made Salesforce revoke this one, to link to. */
  byTaskId: string | null;
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

function succeeded(
  text: string,
  icon: string,
  iconLabel: string,
  theme: SldsTimelineTheme,
): ConnectionEventView {
  return { text, icon, iconLabel, theme, sprite: 'standard', tone: 'default', byTaskId: null };
}

/** `error`: the connection failed; `warning`: it struggles but may recover on its own. */
function failed(
  text: string,
  iconLabel: string,
  tone: 'warning' | 'error' = 'error',
): ConnectionEventView {
  // The theme is unused while a tone is set, which colours the line itself.
  return { text, icon: tone, iconLabel, theme: 'call', sprite: 'utility', tone, byTaskId: null };
}

/**
 * A failed test's history entry holds the API error code, not its message: these say it in words.
 * Codes not listed still show as they are, so support can tell them apart.
 */
const TEST_FAILURES = new Map([
  ['salesforce_reconnect_needed', 'Salesforce refused the connection'],
  ['salesforce_not_connected', 'not connected'],
  ['salesforce_unavailable', 'Salesforce could not be reached'],
  ['salesforce_timeout', 'Salesforce did not answer in time'],
  ['salesforce_api_error', 'Salesforce answered with an error'],
  ['salesforce_response_too_large', "Salesforce's answer was too large"],
]);

function describeTest(detail: Record<string, unknown>): ConnectionEventView {
  const refreshed = detail['refreshed'] === true ? ' (token refreshed)' : '';
  if (detail['status'] === true) {
    return succeeded(`Connection tested: OK${refreshed}`, 'task', 'Tested', 'task');
  }
  const code = textOf(detail, 'code');
  const why = textOf(detail, 'message') ?? (code && (TEST_FAILURES.get(code) ?? code));
  return failed(`Connection tested: failed${refreshed}${why ? ` (${why})` : ''}`, 'Test failed');
}

/** The readable line for a history entry; unknown kinds still show, by their raw name. */
export function describeConnectionEvent(event: ConnectionEvent): ConnectionEventView {
  const detail = event.detail ?? {};
  switch (event.kind) {
    case 'connected': {
      const who = textOf(detail, 'username');
      return succeeded(
        who ? `Connected as ${who}` : 'Connected to Salesforce',
        'linked',
        'Connected',
        'task',
      );
    }
    case 'refreshed':
      return succeeded('Access token refreshed', 'recent', 'Refreshed', 'event');
    case 'refresh_failed':
      return failed(withReason('Token refresh failed', detail), 'Refresh failed');
    case 'tested':
      return describeTest(detail);
    case 'disconnected': {
      // revoked: false means Salesforce could not be told; the grant may live on in the org.
      const text =
        detail['revoked'] === false
          ? 'Disconnected (Salesforce could not be reached to revoke access)'
          : 'Disconnected';
      return succeeded(text, 'unmatched', 'Disconnected', 'email');
    }
    case 'reconnect_needed':
      return failed(withReason('Reconnect needed', detail), 'Reconnect needed');
    case 'health_degraded':
      return failed(withReason('Connection degraded', detail), 'Degraded', 'warning');
    case 'health_recovered':
      return succeeded('Connection healthy again', 'approval', 'Recovered', 'task');
    case 'evicted': {
      // The reason already says it all in words ("… because the Task 'X' connected as …").
      const text = textOf(detail, 'reason') ?? 'Salesforce revoked this connection for a newer one';
      return { ...failed(text, 'Revoked by Salesforce'), byTaskId: textOf(detail, 'by_task_id') };
    }
    case 'api_usage_high':
      return failed(withReason('API usage high', detail), 'API usage high', 'warning');
    default:
      return succeeded(String(event.kind), 'record', 'Event', 'email');
  }
}
