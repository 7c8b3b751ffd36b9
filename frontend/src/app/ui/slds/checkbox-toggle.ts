import { booleanAttribute, ChangeDetectionStrategy, Component, input, output } from '@angular/core';

let nextId = 0;

/**
 * SLDS checkbox toggle: an on/off switch on a native checkbox, so Space toggles it and screen
 * readers announce it as checked or not. Controlled: it shows `checked` and only asks for a
 * change (`checkedChange`); the page decides, e.g. after the server agreed.
 */
@Component({
  selector: 'slds-checkbox-toggle',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'slds-form-element' },
  styles: ':host { display: block; }',
  template: `
    <label class="slds-checkbox_toggle slds-grid">
      <span
        class="slds-form-element__label slds-m-bottom_none"
        [class.slds-assistive-text]="labelHidden()"
        >{{ label() }}</span
      >
      <input
        #box
        type="checkbox"
        [name]="id"
        [checked]="checked()"
        [disabled]="disabled()"
        [attr.aria-describedby]="id"
        (change)="request(box)"
      />
      <span [id]="id" class="slds-checkbox_faux_container">
        <span class="slds-checkbox_faux"></span>
        <span class="slds-checkbox_on">{{ onText() }}</span>
        <span class="slds-checkbox_off">{{ offText() }}</span>
      </span>
    </label>
  `,
})
export class SldsCheckboxToggle {
  /** The accessible name; shown beside the switch unless `labelHidden`. */
  readonly label = input.required<string>();
  readonly labelHidden = input(false, { transform: booleanAttribute });
  readonly checked = input.required<boolean>();
  readonly disabled = input(false, { transform: booleanAttribute });
  readonly onText = input('Enabled');
  readonly offText = input('Disabled');

  readonly checkedChange = output<boolean>();

  protected readonly id = `slds-checkbox-toggle-${++nextId}`;

  protected request(box: HTMLInputElement): void {
    const wanted = box.checked;
    box.checked = this.checked(); // stays as told until `checked` changes
    this.checkedChange.emit(wanted);
  }
}
