import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { SalesforceConnection } from '@contract';

import { Clock } from '../../core/time/clock';
import { relativeTime } from '../../core/time/relative-time';
import { SldsIcon } from '../../ui/slds';
import {
  ConnectionHealthBadge,
  healthStateOf,
} from '../connection-health-badge/connection-health-badge';

/** For connections whose check recorded no reason (stored before health checks existed). */
const FALLBACK_REASON = {
  degraded: 'The last check could not reach Salesforce; the next one comes sooner.',
  reconnect_needed: 'Salesforce no longer accepts this connection.',
} as const;

/**
 * What the background checks know of a connection: its state, when it was last and will next be
 * checked, and, when it is not healthy, why. Whatever fixes it (Reconnect) is the content, shown
 * beside the reason.
 */
@Component({
  selector: 'app-connection-health-panel',
  imports: [ConnectionHealthBadge, DatePipe, SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ':host { display: block; }',
  templateUrl: './connection-health-panel.html',
})
export class ConnectionHealthPanel {
  private readonly clock = inject(Clock);

  readonly connection = input.required<SalesforceConnection>();

  protected readonly state = computed(() => healthStateOf(this.connection()));
  protected readonly reason = computed(() => {
    const state = this.state();
    if (state !== 'degraded' && state !== 'reconnect_needed') return null;
    return this.connection().health.reason || FALLBACK_REASON[state];
  });
  protected readonly lastCheck = computed(() => {
    const at = this.connection().health.checked_at;
    return at ? { at, text: relativeTime(at, this.clock.now()) } : null;
  });
  protected readonly nextCheck = computed(() => {
    const at = this.connection().health.next_check_at;
    if (!at) return null;
    // A check is taken up a little after it is due: "2 minutes ago" would read as a missed one.
    const due = Date.parse(at) <= this.clock.now();
    return { at, text: due ? 'due now' : relativeTime(at, this.clock.now()) };
  });
}
