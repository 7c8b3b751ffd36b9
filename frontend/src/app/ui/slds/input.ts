import { Directive, ElementRef, inject } from '@angular/core';

import { SldsFormElement } from './form-element';

/**
 * SLDS styling for a native input or textarea. Inside an SldsFormElement it also takes the id and
 * the aria-invalid / aria-describedby wiring, so screen readers read the error with the field.
 */
@Directive({
  selector: 'input[sldsInput], textarea[sldsInput]',
  host: {
    '[class.slds-input]': '!isTextarea',
    '[class.slds-textarea]': 'isTextarea',
    '[id]': 'formElement?.inputId()',
    '[attr.aria-invalid]': 'formElement?.error() ? "true" : null',
    '[attr.aria-describedby]': 'formElement?.error() ? formElement?.errorId() : null',
  },
})
export class SldsInput {
  protected readonly formElement = inject(SldsFormElement, { optional: true });
  protected readonly isTextarea =
    inject<ElementRef<HTMLElement>>(ElementRef).nativeElement.tagName === 'TEXTAREA';
}
