import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { SldsAlert, SldsCard } from '../../ui/slds';

/**
 * The centred card that sign-in and sign-up sit in, with the server's message above the form.
 * The form itself stays in each page: its fields and wording differ, and projecting it keeps its
 * `formGroup` bindings in the page's own template.
 */
@Component({
  selector: 'app-auth-card',
  imports: [SldsAlert, SldsCard],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-grid slds-grid_align-center slds-p-around_medium slds-p-top_xx-large' },
  template: `
    <div class="slds-size_1-of-1 slds-medium-size_1-of-2 slds-large-size_1-of-3">
      <slds-card [heading]="heading()">
        @if (error(); as message) {
          <slds-alert variant="error" class="slds-m-bottom_small">{{ message }}</slds-alert>
        }
        <ng-content />
      </slds-card>
    </div>
  `,
})
export class AuthCard {
  readonly heading = input.required<string>();
  readonly error = input<string | null>(null);
}
