import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';

import type { SldsRadioOption } from './radio-group';

let nextId = 0;

/**
 * SLDS radio button group: a segmented control to switch between views. Native radios under the
 * buttons' look, so arrow keys move the choice and screen readers say which one is selected. The
 * legend is only for assistive technology: the options name themselves.
 */
@Component({
  selector: 'slds-radio-button-group',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <fieldset class="slds-form-element">
      <legend class="slds-assistive-text">{{ legend() }}</legend>
      <div class="slds-form-element__control">
        <div class="slds-radio_button-group">
          @for (option of options(); track option.value) {
            <span class="slds-button slds-radio_button">
              <input
                type="radio"
                [id]="name + '-' + option.value"
                [name]="name"
                [value]="option.value"
                [checked]="option.value === value()"
                (change)="value.set(option.value)"
              />
              <label class="slds-radio_button__label" [attr.for]="name + '-' + option.value">
                <span class="slds-radio_faux">{{ option.label }}</span>
              </label>
            </span>
          }
        </div>
      </div>
    </fieldset>
  `,
})
export class SldsRadioButtonGroup<T extends string = string> {
  readonly legend = input.required<string>();
  readonly options = input.required<readonly SldsRadioOption<T>[]>();
  readonly value = model.required<T>();

  protected readonly name = `slds-radio-button-group-${++nextId}`;
}
