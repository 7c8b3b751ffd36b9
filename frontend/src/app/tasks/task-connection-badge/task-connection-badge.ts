import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { SalesforceConnection } from '@contract';

import { SldsBadge, SldsBadgeVariant } from '../../ui/slds';

interface BadgeView {
  label: string;
  variant: SldsBadgeVariant;
  title: string | null;
}

function describe(connection: SalesforceConnection | null): BadgeView {
  if (!connection) return { label: 'Not connected', variant: 'default', title: null };
  if (connection.status === 'reconnect_needed') {
    // Salesforce revoked or expired the refresh token; the reason says which, on hover.
    return { label: 'Reconnect needed', variant: 'warning', title: connection.status_reason };
  }
  const who = connection.identity?.username;
  return {
    label: who ? `Connected as ${who}` : 'Connected',
    variant: 'success',
    title: connection.instance_url,
  };
}

/** The one-glance Salesforce state of a Task, as shown in lists. */
@Component({
  selector: 'app-task-connection-badge',
  imports: [SldsBadge],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [sldsBadge]="badge().variant" [attr.title]="badge().title">{{
    badge().label
  }}</span>`,
})
export class TaskConnectionBadge {
  readonly connection = input.required<SalesforceConnection | null>();

  protected readonly badge = computed(() => describe(this.connection()));
}
