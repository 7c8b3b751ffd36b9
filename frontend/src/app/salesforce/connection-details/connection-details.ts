import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { LastConnectionTest, SalesforceConnection } from '@contract';

import { SldsIcon } from '../../ui/slds';

/** Who a connection acts as, since when, and how its last test went. Display only. */
@Component({
  selector: 'app-connection-details',
  imports: [DatePipe, SldsIcon],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './connection-details.html',
})
export class ConnectionDetails {
  readonly connection = input.required<SalesforceConnection>();
}
