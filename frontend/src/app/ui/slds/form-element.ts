import {
  booleanAttribute,
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
} from '@angular/core';

/**
 * SLDS form element: label, control slot and inline error. It owns the control's id so the
 * label, the error text and SldsInput's aria attributes can never disagree.
 */
@Component({
  selector: 'slds-form-element',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-form-element', '[class.slds-has-error]': '!!error()' },
  styles: ':host { display: block; }',
  template: `
    <label class="slds-form-element__label" [attr.for]="inputId()">
      @if (required()) {
        <abbr class="slds-required" title="required">* </abbr>
      }
      {{ label() }}
    </label>
    <div class="slds-form-element__control"><ng-content /></div>
    @if (error()) {
      <div class="slds-form-element__help" [id]="errorId()">{{ error() }}</div>
    }
  `,
})
export class SldsFormElement {
  readonly label = input.required<string>();
  readonly inputId = input.required<string>();
  readonly required = input(false, { transform: booleanAttribute });
  /** The message to show under the control; null or '' when the value is fine. */
  readonly error = input<string | null>(null);

  readonly errorId = computed(() => `${this.inputId()}-error`);
}
