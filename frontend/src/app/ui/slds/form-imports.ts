import { ReactiveFormsModule } from '@angular/forms';
import { SldsButton } from './button';
import { SldsFormElement } from './form-element';
import { SldsInput } from './input';
import { SldsSpinner } from './spinner';

/** What every SLDS reactive form in the app imports: fields, inputs, the submit button and its spinner. */
export const SLDS_FORM = [
  ReactiveFormsModule,
  SldsButton,
  SldsFormElement,
  SldsInput,
  SldsSpinner,
] as const;
