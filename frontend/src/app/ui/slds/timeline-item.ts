import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { SldsIcon, SldsIconSprite } from './icon';

/** SLDS's four timeline line colours. */
export type SldsTimelineTheme = 'task' | 'event' | 'call' | 'email';

/** `warning` and `error` mark an entry that went wrong: coloured icon, line and (error) heading. */
export type SldsTimelineTone = 'default' | 'warning' | 'error';

/**
 * One SLDS activity-timeline entry, on the `li` of a `ul.slds-timeline`. The content is the
 * secondary line under the title. No expand button: there is nothing more to show, so its slot
 * is kept empty (slds-hidden) only to keep the icon on SLDS's vertical line.
 *
 * SLDS has no failure colours for the timeline, so the tones add them: its error and warning
 * colours on the line, and a white disc behind a utility icon so the line does not show through.
 */
@Component({
  selector: 'li[sldsTimelineItem]',
  imports: [SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .app-timeline_error::before {
      background: var(--slds-g-color-error-base-40, rgb(234, 0, 30));
    }
    .app-timeline_warning::before {
      background: var(--slds-g-color-warning-base-60, rgb(254, 147, 57));
    }
    .app-timeline__utility-icon {
      background: var(--slds-g-color-neutral-base-100, rgb(255, 255, 255));
      border-radius: 50%;
    }
  `,
  template: `
    <div class="slds-timeline__item_expandable" [class]="lineClass()">
      <div class="slds-media">
        <div class="slds-media__figure">
          <span class="slds-button slds-button_icon slds-hidden" aria-hidden="true"></span>
          <slds-icon
            class="slds-timeline__icon"
            [class.app-timeline__utility-icon]="sprite() === 'utility'"
            [sprite]="sprite()"
            size="small"
            [name]="icon()"
            [color]="tone() === 'default' ? null : tone()"
            [title]="iconLabel()"
          />
        </div>
        <div class="slds-media__body">
          <!-- Wraps rather than truncates: in a narrow column the heading is the information. -->
          <div class="slds-grid slds-wrap slds-grid_align-spread slds-timeline__trigger">
            <h3 class="slds-hyphenate" [class.slds-text-color_error]="tone() === 'error'">
              {{ heading() }}
            </h3>
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
  /** An icon name from `sprite`, e.g. standard `linked` or utility `error`. */
  readonly icon = input.required<string>();
  readonly sprite = input<Extract<SldsIconSprite, 'standard' | 'utility'>>('standard');
  readonly iconLabel = input('');
  readonly theme = input<SldsTimelineTheme>('task');
  readonly tone = input<SldsTimelineTone>('default');
  /** The date as shown, and as machine-readable ISO text for `<time datetime>`. */
  readonly date = input.required<string>();
  readonly dateTime = input.required<string>();

  protected readonly lineClass = computed(() =>
    this.tone() === 'default'
      ? `slds-timeline__item_${this.theme()}`
      : `app-timeline_${this.tone()}`,
  );
}
