import { booleanAttribute, ChangeDetectionStrategy, Component, input } from '@angular/core';

export type SldsSpinnerSize = 'xx-small' | 'x-small' | 'small' | 'medium' | 'large';

/**
 * SLDS spinner. By default it is centred over its nearest positioned ancestor (SLDS places it
 * absolutely); `inline` keeps it in the text flow, e.g. next to a submit button.
 */
@Component({
  selector: 'slds-spinner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    role: 'status',
    class: 'slds-spinner',
    '[class]': "'slds-spinner_' + size()",
    '[class.slds-spinner_brand]': 'brand()',
    '[class.slds-spinner_inline]': 'inline()',
  },
  styles: ':host { display: block; }',
  template: `
    <span class="slds-assistive-text">{{ label() }}</span>
    <div class="slds-spinner__dot-a"></div>
    <div class="slds-spinner__dot-b"></div>
  `,
})
export class SldsSpinner {
  readonly size = input<SldsSpinnerSize>('medium');
  readonly label = input('Loading');
  readonly brand = input(false, { transform: booleanAttribute });
  readonly inline = input(false, { transform: booleanAttribute });
}
