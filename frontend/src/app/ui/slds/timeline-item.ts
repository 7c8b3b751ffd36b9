import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { SldsIcon } from './icon';

/** SLDS's four timeline line colours. */
export type SldsTimelineTheme = 'task' | 'event' | 'call' | 'email';

/**
 * One SLDS activity-timeline entry, on the `li` of a `ul.slds-timeline`. The content is the
 * secondary line under the title. No expand button: there is nothing more to show, so its slot
 * is kept empty (slds-hidden) only to keep the icon on SLDS's vertical line.
 */
@Component({
  selector: 'li[sldsTimelineItem]',
  imports: [SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="slds-timeline__item_expandable" [class]="'slds-timeline__item_' + theme()">
      <div class="slds-media">
        <div class="slds-media__figure">
          <span class="slds-button slds-button_icon slds-hidden" aria-hidden="true"></span>
          <slds-icon
            class="slds-timeline__icon"
            sprite="standard"
            size="small"
            [name]="icon()"
            [title]="iconLabel()"
          />
        </div>
        <div class="slds-media__body">
          <!-- Wraps rather than truncates: in a narrow column the heading is the information. -->
          <div class="slds-grid slds-wrap slds-grid_align-spread slds-timeline__trigger">
            <h3 class="slds-hyphenate">{{ heading() }}</h3>
            <div class="slds-timeline__actions slds-timeline__actions_inline">
              <time class="slds-timeline__date" [attr.datetime]="dateTime()">{{ date() }}</time>
            </div>
          </div>
          <div class="slds-m-horizontal_xx-small slds-text-color_weak"><ng-content /></div>
        </div>
      </div>
    </div>
  `,
})
export class SldsTimelineItem {
  readonly heading = input.required<string>();
  /** A standard-sprite icon name, e.g. `linked`. */
  readonly icon = input.required<string>();
  readonly iconLabel = input('');
  readonly theme = input<SldsTimelineTheme>('task');
  /** The date as shown, and as machine-readable ISO text for `<time datetime>`. */
  readonly date = input.required<string>();
  readonly dateTime = input.required<string>();
}
