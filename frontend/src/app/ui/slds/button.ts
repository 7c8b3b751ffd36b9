import { Directive, input } from '@angular/core';

/** `text-destructive`: a neutral button with red text, for a secondary destructive action. */
export type SldsButtonVariant = 'neutral' | 'brand' | 'destructive' | 'text-destructive';

/** SLDS button classes on a native button or link, so forms, focus and `disabled` keep working. */
@Directive({
  selector: 'button[sldsButton], a[sldsButton]',
  host: {
    class: 'slds-button',
    '[class.slds-button_neutral]': "variant() === 'neutral'",
    '[class.slds-button_brand]': "variant() === 'brand'",
    '[class.slds-button_destructive]': "variant() === 'destructive'",
    '[class.slds-button_text-destructive]': "variant() === 'text-destructive'",
  },
})
export class SldsButton {
  readonly variant = input<SldsButtonVariant, SldsButtonVariant | ''>('neutral', {
    alias: 'sldsButton',
    transform: (v) => v || 'neutral', // bare `sldsButton` means neutral
  });
}
