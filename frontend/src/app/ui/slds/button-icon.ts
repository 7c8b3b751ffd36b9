import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * SLDS bordered icon button on a native button. `label` is required: an icon alone says nothing
 * to a screen reader, so it becomes the assistive text and the tooltip.
 */
@Component({
  selector: 'button[sldsButtonIcon]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'slds-button slds-button_icon slds-button_icon-border-filled',
    '[attr.title]': 'label()',
  },
  template: `
    <svg class="slds-button__icon" aria-hidden="true"><use [attr.href]="href()" /></svg>
    <span class="slds-assistive-text">{{ label() }}</span>
  `,
})
export class SldsButtonIcon {
  readonly icon = input.required<string>({ alias: 'sldsButtonIcon' });
  readonly label = input.required<string>();

  protected readonly href = computed(
    () => `/assets/icons/utility-sprite/svg/symbols.svg#${this.icon()}`,
  );
}
