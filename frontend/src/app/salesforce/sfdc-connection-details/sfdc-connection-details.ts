import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { SfdcConnection, SfdcLastTest } from '../../tasks/task';
import { SldsIcon } from '../../ui/slds';

/** Who a connection acts as, since when, and how its last test went. Display only. */
@Component({
  selector: 'app-sfdc-connection-details',
  imports: [DatePipe, SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './sfdc-connection-details.html',
})
export class SfdcConnectionDetails {
  readonly sfdc = input.required<SfdcConnection>();
  readonly lastTest = input<SfdcLastTest | null>(null);
}
