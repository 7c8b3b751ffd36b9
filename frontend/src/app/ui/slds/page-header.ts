import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { SldsIcon } from './icon';

/** SLDS page header (record-home look): object icon, object label over the title, actions. */
@Component({
  selector: 'slds-page-header',
  imports: [SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-page-header slds-page-header_record-home' },
  styles: ':host { display: block; }',
  template: `
    <div class="slds-page-header__row">
      <div class="slds-page-header__col-title">
        <div class="slds-media">
          <div class="slds-media__figure">
            <slds-icon sprite="standard" size="medium" [name]="icon()" />
          </div>
          <div class="slds-media__body">
            <div class="slds-page-header__name">
              <div class="slds-page-header__name-title">
                <h1>
                  <span>{{ label() }}</span>
                  <span class="slds-page-header__title slds-truncate" [title]="heading()">{{
                    heading()
                  }}</span>
                </h1>
              </div>
            </div>
          </div>
        </div>
      </div>
      <div class="slds-page-header__col-actions">
        <div class="slds-page-header__controls">
          <div class="slds-page-header__control">
            <ng-content select="[sldsPageHeaderActions]" />
          </div>
        </div>
      </div>
    </div>
  `,
})
export class SldsPageHeader {
  readonly heading = input.required<string>();
  /** The object's name shown above the title ("Task", "API tokens"). */
  readonly label = input.required<string>();
  /** A standard-sprite icon name. */
  readonly icon = input.required<string>();
}
