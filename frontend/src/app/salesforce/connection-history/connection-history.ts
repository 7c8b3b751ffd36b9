import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ConnectionEvent } from '@contract';

import { RemoteData } from '../../core/api/remote-data';
import { SldsAlert, SldsButton, SldsCard, SldsSpinner, SldsTimelineItem } from '../../ui/slds';
import { describeConnectionEvent } from '../describe-connection-event';
import { SalesforceApi } from '../salesforce-api';

/** The connection's history as an SLDS activity timeline, newest first. */
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
      }
    </slds-card>
  `,
})
export class ConnectionHistory {
  private readonly salesforceApi = inject(SalesforceApi);

  readonly taskId = input.required<string>();

  protected readonly events = new RemoteData<readonly ConnectionEvent[], string>({
    request: () => this.taskId(),
    loader: (taskId) => this.salesforceApi.events(taskId),
    initial: [],
  });
  protected readonly items = computed(() =>
    this.events.value().map((event) => ({ event, view: describeConnectionEvent(event) })),
  );

  /** Called by the page after a test, connect or disconnect added an entry. */
  reload(): Promise<void> {
    return this.events.load();
  }
}
