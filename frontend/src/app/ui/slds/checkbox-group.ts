import {
  booleanAttribute,
  ChangeDetectionStrategy,
  Component,
  computed,
  forwardRef,
  input,
  signal,
} from '@angular/core';
import { ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';

export interface SldsCheckboxOption<T extends string = string> {
  value: T;
  label: string;
  /** A second, weaker line under the label. */
  description?: string;
}

let nextId = 0;

/**
 * SLDS checkbox group: a fieldset whose legend labels native checkboxes. A form control whose
 * value is the ticked options' values, in the options' order (`formControlName="events"`).
 */
@Component({
  selector: 'slds-checkbox-group',
  changeDetection: ChangeDetectionStrategy.OnPush,
  providers: [
    { provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => SldsCheckboxGroup), multi: true },
  ],
  host: { '[class.slds-has-error]': '!!error()' },
  styles: ':host { display: block; }',
  template: `
    <fieldset class="slds-form-element" [attr.aria-describedby]="error() ? errorId : null">
      <legend class="slds-form-element__legend slds-form-element__label">
        @if (required()) {
          <abbr class="slds-required" title="required">* </abbr>
        }
        {{ legend() }}
      </legend>
      <div class="slds-form-element__control">
        @for (option of options(); track option.value) {
          <div class="slds-checkbox">
            <input
              #box
              type="checkbox"
              [id]="name + '-' + $index"
              [name]="name"
              [value]="option.value"
              [checked]="checked().has(option.value)"
              [disabled]="disabled()"
              (change)="toggle(option.value, box.checked)"
              (blur)="onTouched()"
            />
            <label class="slds-checkbox__label" [attr.for]="name + '-' + $index">
              <span class="slds-checkbox_faux"></span>
              <span class="slds-form-element__label">{{ option.label }}</span>
            </label>
            @if (option.description) {
              <div class="slds-text-body_small slds-text-color_weak slds-m-left_large">
                {{ option.description }}
              </div>
            }
          </div>
        }
      </div>
      @if (error()) {
        <div class="slds-form-element__help" [id]="errorId">{{ error() }}</div>
      }
    </fieldset>
  `,
})
export class SldsCheckboxGroup<T extends string = string> implements ControlValueAccessor {
  readonly legend = input.required<string>();
  readonly options = input.required<readonly SldsCheckboxOption<T>[]>();
  readonly required = input(false, { transform: booleanAttribute });
  /** The message to show under the group; null or '' when the choice is fine. */
  readonly error = input<string | null>(null);

  /** Unique per instance: the ids of two groups on one page must not clash. */
  protected readonly name = `slds-checkbox-group-${++nextId}`;
  protected readonly errorId = `${this.name}-error`;
  private readonly value = signal<readonly T[]>([]);
  protected readonly checked = computed(() => new Set(this.value()));
  protected readonly disabled = signal(false);

  private onChange: (value: T[]) => void = () => undefined;
  protected onTouched: () => void = () => undefined;

  protected toggle(option: T, on: boolean): void {
    const ticked = new Set(this.value());
    if (on) ticked.add(option);
    else ticked.delete(option);
    const next = this.options()
      .map((o) => o.value)
      .filter((v) => ticked.has(v));
    this.value.set(next);
    this.onChange(next);
  }

  writeValue(value: readonly T[] | null): void {
    this.value.set(value ?? []);
  }

  registerOnChange(fn: (value: T[]) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(isDisabled: boolean): void {
    this.disabled.set(isDisabled);
  }
}
