import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import type { SalesforceEnvironment } from '@contract';

import { SldsFormElement, SldsInput, SldsRadioGroup, SldsRadioOption } from '../../ui/slds';

const ENVIRONMENTS: readonly SldsRadioOption<SalesforceEnvironment>[] = [
  { value: 'production', label: 'Production' },
  { value: 'sandbox', label: 'Sandbox' },
  { value: 'custom', label: 'My Domain' },
];

/** Where to sign in to Salesforce: production, sandbox, or the org's My Domain host. */
@Component({
  selector: 'app-environment-picker',
  imports: [SldsFormElement, SldsInput, SldsRadioGroup],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <slds-radio-group
      legend="Salesforce environment"
      class="slds-m-bottom_small"
      [options]="environments"
      [(value)]="environment"
    />
    @if (environment() === 'custom') {
      <slds-form-element
        label="My Domain"
        inputId="my-domain"
        required
        [error]="domainError()"
        class="slds-m-bottom_small"
      >
        <input
          sldsInput
          type="text"
          inputmode="url"
          autocomplete="off"
          spellcheck="false"
          placeholder="acme.my.salesforce.com"
          [value]="domain()"
          (input)="onDomainInput($event)"
        />
      </slds-form-element>
    }
  `,
})
export class EnvironmentPicker {
  readonly environment = model<SalesforceEnvironment>('production');
  readonly domain = model('');
  readonly domainError = input<string | null>(null);

  protected readonly environments = ENVIRONMENTS;

  protected onDomainInput(event: Event): void {
    this.domain.set((event.target as HTMLInputElement).value);
  }
}

/**
 * The host to send as `domain`, or an error message. People paste the whole URL from the browser,
 * so a scheme and trailing slashes are accepted and dropped; the backend still decides trust.
 */
export function parseMyDomain(raw: string): { domain: string } | { error: string } {
  const domain = raw
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!domain) return { error: 'Enter your My Domain, like acme.my.salesforce.com.' };
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
    return { error: 'Enter the domain name only, like acme.my.salesforce.com.' };
  }
  return { domain };
}
