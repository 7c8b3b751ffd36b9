import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ConnectionHealthState, SalesforceConnection } from '@contract';

import { SldsBadge, SldsBadgeVariant } from '../../ui/slds';

/** A Task's health as a badge shows it: the connection's, or `not_connected` without one. */
export type TaskHealthState = ConnectionHealthState | 'not_connected';

const BADGES: Record<TaskHealthState, { label: string; variant: SldsBadgeVariant }> = {
  healthy: { label: 'Healthy', variant: 'success' },
  degraded: { label: 'Degraded', variant: 'warning' },
  reconnect_needed: { label: 'Reconnect needed', variant: 'error' },
  not_connected: { label: 'Not connected', variant: 'default' },
};

/**
 * The status wins over the health state: a refused refresh marks the status at once, while the
 * health is written by the background checks, so the two could briefly disagree.
 */
export function healthStateOf(connection: SalesforceConnection | null): TaskHealthState {
  if (!connection) return 'not_connected';
  return connection.status === 'reconnect_needed' ? 'reconnect_needed' : connection.health.state;
}

/** The one-glance health of a Task's Salesforce connection; the reason shows on hover. */
@Component({
  selector: 'app-connection-health-badge',
  imports: [SldsBadge],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [sldsBadge]="badge().variant" [attr.title]="reason()">{{
    badge().label
  }}</span>`,
})
export class ConnectionHealthBadge {
  readonly connection = input.required<SalesforceConnection | null>();

  protected readonly badge = computed(() => BADGES[healthStateOf(this.connection())]);
  protected readonly reason = computed(() => this.connection()?.health.reason ?? null);
}
