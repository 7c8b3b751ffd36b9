import { booleanAttribute, ChangeDetectionStrategy, Component, input, model } from '@angular/core';

/**
 * SLDS input with a left search icon (the "Input with Icon" blueprint), as a two-way `value`.
 * `type=search` gives the browser's clear button and Escape to clear.
 */
@Component({
  selector: 'slds-search-input',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-form-element' },
  styles: ':host { display: block; }',
  template: `
    <label
      class="slds-form-element__label"
      [class.slds-assistive-text]="hideLabel()"
      [attr.for]="inputId()"
      >{{ label() }}</label
    >
    <div class="slds-form-element__control slds-input-has-icon slds-input-has-icon_left">
      <svg
        class="slds-icon slds-input__icon slds-input__icon_left slds-icon-text-default"
        aria-hidden="true"
      >
        <use href="/assets/icons/utility-sprite/svg/symbols.svg#search" />
      </svg>
      <input
        type="search"
        class="slds-input"
        autocomplete="off"
        [id]="inputId()"
        [placeholder]="placeholder()"
        [value]="value()"
        (input)="value.set($any($event.target).value)"
      />
    </div>
  `,
})
export class SldsSearchInput {
  readonly label = input.required<string>();
  readonly inputId = input.required<string>();
  readonly placeholder = input('');
  /** The label stays for screen readers only (the icon and placeholder say it to the eye). */
  readonly hideLabel = input(false, { transform: booleanAttribute });
  readonly value = model('');
}
