import { ChangeDetectionStrategy, Component } from '@angular/core';

import { SldsIcon } from './icon';

/**
 * SLDS scoped notification: an information note inside a card, where a page-wide alert banner
 * would be too loud. role="status", so it is read politely rather than interrupting.
 */
@Component({
  selector: 'slds-scoped-notification',
  imports: [SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'slds-scoped-notification slds-scoped-notification_light slds-media slds-media_center',
    role: 'status',
  },
  template: `
    <div class="slds-media__figure">
      <slds-icon name="info" size="small" color="default" assistiveText="Information" />
    </div>
    <div class="slds-media__body">
      <p><ng-content /></p>
    </div>
  `,
})
export class SldsScopedNotification {}
