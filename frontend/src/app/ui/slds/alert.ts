import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { SldsIcon } from './icon';

export type SldsAlertVariant = 'info' | 'warning' | 'error' | 'offline';

/** SLDS alert banner. role="alert" so it is announced when it appears. */
@Component({
  selector: 'slds-alert',
  imports: [SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'slds-notify slds-notify_alert',
    role: 'alert',
    '[class.slds-alert_warning]': "variant() === 'warning'",
    '[class.slds-alert_error]': "variant() === 'error'",
    '[class.slds-alert_offline]': "variant() === 'offline'",
  },
  template: `
    <span class="slds-assistive-text">{{ variant() }}</span>
    <slds-icon class="slds-m-right_x-small" [name]="variant()" size="x-small" />
    <h2><ng-content /></h2>
  `,
})
export class SldsAlert {
  readonly variant = input<SldsAlertVariant>('info');
}
