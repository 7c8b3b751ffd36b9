import {
  booleanAttribute,
  ChangeDetectionStrategy,
  Component,
  computed,
  input,
} from '@angular/core';

/** `warning` and `error` are this app's: SLDS colours only a `success` bar. */
export type SldsProgressBarVariant = 'default' | 'success' | 'warning' | 'error';
export type SldsProgressBarSize = 'x-small' | 'small' | 'medium' | 'large';

/**
 * SLDS progress bar: role="progressbar" with its range, so screen readers read `label` and
 * `valueText` ("12,000 of 15,000") rather than a bare percentage. A value above `max` fills it.
 */
@Component({
  selector: 'slds-progress-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    class: 'slds-progress-bar',
    role: 'progressbar',
    '[class.slds-progress-bar_x-small]': "size() === 'x-small'",
    '[class.slds-progress-bar_small]': "size() === 'small'",
    '[class.slds-progress-bar_large]': "size() === 'large'",
    '[class.slds-progress-bar_circular]': 'circular()',
    '[attr.aria-label]': 'label()',
    'aria-valuemin': '0',
    '[attr.aria-valuemax]': 'max()',
    '[attr.aria-valuenow]': 'clamped()',
    '[attr.aria-valuetext]': 'valueText() || null',
  },
  styles: `
    :host {
      display: block;
    }
    .slds-progress-bar__value_warning {
      background: var(--slds-g-color-warning-base-60, rgb(254, 147, 57));
    }
    .slds-progress-bar__value_error {
      background: var(--slds-g-color-error-base-40, rgb(234, 0, 30));
    }
  `,
  template: `
    <span
      class="slds-progress-bar__value"
      [class.slds-progress-bar__value_success]="variant() === 'success'"
      [class.slds-progress-bar__value_warning]="variant() === 'warning'"
      [class.slds-progress-bar__value_error]="variant() === 'error'"
      [style.width.%]="fraction() * 100"
    >
      <span class="slds-assistive-text">{{ valueText() || percent() + '%' }}</span>
    </span>
  `,
})
export class SldsProgressBar {
  /** The accessible name: what is measured. */
  readonly label = input.required<string>();
  readonly value = input.required<number>();
  readonly max = input(100);
  /** The value in words, read instead of the number; a percentage when empty. */
  readonly valueText = input('');
  readonly variant = input<SldsProgressBarVariant>('default');
  readonly size = input<SldsProgressBarSize>('medium');
  readonly circular = input(false, { transform: booleanAttribute });

  protected readonly clamped = computed(() => Math.min(Math.max(this.value(), 0), this.max()));
  protected readonly fraction = computed(() => (this.max() > 0 ? this.clamped() / this.max() : 1));
  protected readonly percent = computed(() => Math.round(this.fraction() * 100));
}
