import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { SldsBadge, SldsBadgeVariant } from '../../ui/slds';
import { SfdcConnection } from '../task';

interface BadgeView {
  label: string;
  variant: SldsBadgeVariant;
  title: string | null;
}

function describe(sfdc: SfdcConnection | null): BadgeView {
  if (!sfdc) return { label: 'Not connected', variant: 'default', title: null };
  if (sfdc.status === 'reconnect_needed') {
    // Salesforce revoked or expired the refresh token; the reason says which, on hover.
    return { label: 'Reconnect needed', variant: 'warning', title: sfdc.status_reason };
  }
  const who = sfdc.identity?.username;
  return {
    label: who ? `Connected as ${who}` : 'Connected',
    variant: 'success',
    title: sfdc.instance_url,
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
  readonly sfdc = input.required<SfdcConnection | null>();

  protected readonly badge = computed(() => describe(this.sfdc()));
}
