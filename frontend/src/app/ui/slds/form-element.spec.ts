import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { SldsButton, SldsButtonVariant } from './button';
import { SldsFormElement } from './form-element';
import { SldsInput } from './input';

@Component({
  imports: [SldsButton, SldsFormElement, SldsInput],
  template: `
    <slds-form-element label="Name" inputId="name" required [error]="error()">
      <input sldsInput />
    </slds-form-element>
    <button [sldsButton]="variant()">Go</button>
  `,
})
class Host {
  readonly error = signal<string | null>(null);
  readonly variant = signal<SldsButtonVariant | ''>('');
}

describe('SLDS wrappers', () => {
  it('when the form element has an error, then the input is wired to it for screen readers', async () => {
    const fixture = TestBed.createComponent(Host);
    const page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();

    const input = page.querySelector('input')!;
    expect(input.id).toBe('name');
    expect(input.classList).toContain('slds-input');
    expect(page.querySelector('label')?.getAttribute('for')).toBe('name');
    expect(input.hasAttribute('aria-invalid')).toBe(false);

    fixture.componentInstance.error.set('Required.');
    await fixture.whenStable();

    expect(page.querySelector('slds-form-element')?.classList).toContain('slds-has-error');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('name-error');
    expect(page.querySelector('#name-error')?.textContent?.trim()).toBe('Required.');
  });

  it('when the button variant changes, then only that variant class is set', async () => {
    const fixture = TestBed.createComponent(Host);
    const button = (fixture.nativeElement as HTMLElement).querySelector('button')!;
    await fixture.whenStable();
    expect(button.className).toBe('slds-button slds-button_neutral'); // bare attribute = neutral

    fixture.componentInstance.variant.set('brand');
    await fixture.whenStable();

    expect(button.classList).toContain('slds-button_brand');
    expect(button.classList).not.toContain('slds-button_neutral');
  });
});
