import { Directive, input } from '@angular/core';

export type SldsBadgeVariant = 'default' | 'inverse' | 'lightest' | 'success' | 'warning' | 'error';

/** SLDS badge classes on a native span. */
@Directive({
  selector: 'span[sldsBadge]',
  host: {
    class: 'slds-badge',
    '[class.slds-badge_inverse]': "variant() === 'inverse'",
    '[class.slds-badge_lightest]': "variant() === 'lightest'",
    '[class.slds-theme_success]': "variant() === 'success'",
    '[class.slds-theme_warning]': "variant() === 'warning'",
    '[class.slds-theme_error]': "variant() === 'error'",
  },
})
export class SldsBadge {
  readonly variant = input<SldsBadgeVariant, SldsBadgeVariant | ''>('default', {
    alias: 'sldsBadge',
    transform: (v) => v || 'default',
  });
}
