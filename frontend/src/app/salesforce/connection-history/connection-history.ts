import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ConnectionEvent } from '@contract';

import { PagedData } from '../../core/api/paged-data';
import { SldsAlert, SldsButton, SldsCard, SldsSpinner, SldsTimelineItem } from '../../ui/slds';
import { describeConnectionEvent } from '../describe-connection-event';
import { SalesforceApi } from '../salesforce-api';

/** Entries per page: a timeline reads well at about this length; older ones on demand. */
export const HISTORY_PAGE_SIZE = 20;

/** The connection's history as an SLDS activity timeline, newest first, older entries on demand. */
@Component({
  selector: 'app-connection-history',
  imports: [DatePipe, RouterLink, SldsAlert, SldsButton, SldsCard, SldsSpinner, SldsTimelineItem],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <slds-card heading="Connection history">
      @if (events.error(); as message) {
        <slds-alert variant="error" class="slds-m-bottom_small">{{ message }}</slds-alert>
        <button sldsButton type="button" (click)="reload()">Try again</button>
      } @else if (events.isLoading() && items().length === 0) {
        <div class="slds-is-relative slds-p-around_x-large">
          <slds-spinner brand label="Loading the connection history" />
        </div>
      } @else if (items().length === 0) {
        <p class="slds-text-color_weak" data-testid="connection-history-empty">
          Nothing has happened yet. Connecting, tests and token refreshes will show here.
        </p>
      } @else {
        <ul class="slds-timeline" aria-label="Connection history">
          @for (item of items(); track item.event.id) {
            <li
              sldsTimelineItem
              [heading]="item.view.text"
              [icon]="item.view.icon"
              [sprite]="item.view.sprite"
              [iconLabel]="item.view.iconLabel"
              [theme]="item.view.theme"
              [tone]="item.view.tone"
              [date]="(item.event.at | date: 'medium') ?? item.event.at"
              [dateTime]="item.event.at"
            >
              @if (item.view.byTaskId; as byTaskId) {
                <a [routerLink]="['/tasks', byTaskId]">Open the Task that connected</a>
              }
            </li>
          }
        </ul>
        @if (events.hasMore()) {
          <div class="slds-align_absolute-center slds-m-top_small">
            <button
              sldsButton
              type="button"
              [disabled]="events.isLoading() || events.isLoadingMore()"
              (click)="events.loadMore()"
            >
              Show older
            </button>
          </div>
        }
        @if (events.moreError(); as message) {
          <slds-alert variant="error" class="slds-m-top_small">{{ message }}</slds-alert>
        }
      }
    </slds-card>
  `,
})
export class ConnectionHistory {
  private readonly salesforceApi = inject(SalesforceApi);

  readonly taskId = input.required<string>();

  protected readonly events = new PagedData<ConnectionEvent, string>({
    request: () => this.taskId(),
    loader: (taskId, cursor) =>
      this.salesforceApi.events(taskId, { limit: HISTORY_PAGE_SIZE, cursor }),
    keepOlderBy: (event) => event.id,
  });
  protected readonly items = computed(() =>
    this.events.items().map((event) => ({ event, view: describeConnectionEvent(event) })),
  );

  /** Called by the page after a test, connect or disconnect added an entry; older pages shown stay. */
  reload(): Promise<void> {
    return this.events.load();
  }
}
