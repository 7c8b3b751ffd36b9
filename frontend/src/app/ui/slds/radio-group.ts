import { booleanAttribute, ChangeDetectionStrategy, Component, input, model } from '@angular/core';

export interface SldsRadioOption<T extends string = string> {
  value: T;
  label: string;
}

let nextId = 0;

/** SLDS radio group: a fieldset whose legend labels native radios, so arrow keys just work. */
@Component({
  selector: 'slds-radio-group',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: ':host { display: block; }',
  template: `
    <fieldset class="slds-form-element">
      <legend class="slds-form-element__legend slds-form-element__label">
        @if (required()) {
          <abbr class="slds-required" title="required">* </abbr>
        }
        {{ legend() }}
      </legend>
      <div class="slds-form-element__control">
        @for (option of options(); track option.value) {
          <span class="slds-radio">
            <input
              type="radio"
              [id]="name + '-' + option.value"
              [name]="name"
              [value]="option.value"
              [checked]="option.value === value()"
              (change)="value.set(option.value)"
            />
            <label class="slds-radio__label" [attr.for]="name + '-' + option.value">
              <span class="slds-radio_faux"></span>
              <span class="slds-form-element__label">{{ option.label }}</span>
            </label>
          </span>
        }
      </div>
    </fieldset>
  `,
})
export class SldsRadioGroup<T extends string = string> {
  readonly legend = input.required<string>();
  readonly options = input.required<readonly SldsRadioOption<T>[]>();
  readonly required = input(false, { transform: booleanAttribute });
  readonly value = model.required<T>();

  /** Unique per instance: two groups on one page must not share a radio `name`. */
  protected readonly name = `slds-radio-group-${++nextId}`;
}
