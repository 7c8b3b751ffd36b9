import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { ApiError } from '../../core/api/api-error';
import { SldsAlert, SldsButton, SldsCard, SldsSpinner, SldsTimelineItem } from '../../ui/slds';
import { describeSfdcEvent } from '../describe-sfdc-event';
import { SalesforceApi } from '../salesforce-api';
import { SfdcEvent } from '../sfdc-event';

/** The connection's history as an SLDS activity timeline, newest first. */
@Component({
  selector: 'app-sfdc-history',
  imports: [DatePipe, SldsAlert, SldsButton, SldsCard, SldsSpinner, SldsTimelineItem],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <slds-card heading="Connection history">
      @if (loadError(); as message) {
        <slds-alert variant="error" class="slds-m-bottom_small">{{ message }}</slds-alert>
        <button sldsButton type="button" (click)="reload()">Try again</button>
      } @else if (isLoading() && items().length === 0) {
        <div class="slds-is-relative slds-p-around_x-large">
          <slds-spinner brand label="Loading the connection history" />
        </div>
      } @else if (items().length === 0) {
        <p class="slds-text-color_weak" data-testid="sfdc-history-empty">
          Nothing has happened yet. Connecting, tests and token refreshes will show here.
        </p>
      } @else {
        <ul class="slds-timeline" aria-label="Connection history">
          @for (item of items(); track item.event.id) {
            <li
              sldsTimelineItem
              [heading]="item.view.text"
              [icon]="item.view.icon"
              [iconLabel]="item.view.iconLabel"
              [theme]="item.view.theme"
              [date]="(item.event.at | date: 'medium') ?? item.event.at"
              [dateTime]="item.event.at"
            ></li>
          }
        </ul>
      }
    </slds-card>
  `,
})
export class SfdcHistory {
  private readonly salesforceApi = inject(SalesforceApi);

  readonly taskId = input.required<string>();

  private readonly events = signal<readonly SfdcEvent[]>([]);
  protected readonly items = computed(() =>
    this.events().map((event) => ({ event, view: describeSfdcEvent(event) })),
  );
  protected readonly isLoading = signal(true);
  protected readonly loadError = signal<string | null>(null);

  constructor() {
    effect(() => {
      const taskId = this.taskId();
      untracked(() => void this.load(taskId));
    });
  }

  /** Called by the page after a test, connect or disconnect added an entry. */
  reload(): Promise<void> {
    return this.load(this.taskId());
  }

  private async load(taskId: string): Promise<void> {
    this.isLoading.set(true);
    this.loadError.set(null);
    try {
      this.events.set(await firstValueFrom(this.salesforceApi.events(taskId)));
    } catch (err) {
      this.loadError.set(ApiError.from(err).message);
    } finally {
      this.isLoading.set(false);
    }
  }
}
