import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';

import { SldsCheckboxGroup } from './checkbox-group';
import { SldsCheckboxToggle } from './checkbox-toggle';

@Component({
  imports: [ReactiveFormsModule, SldsCheckboxGroup, SldsCheckboxToggle],
  template: `
    <slds-checkbox-group
      legend="Colours"
      required
      [formControl]="colours"
      [options]="options"
      [error]="error()"
    />
    <slds-checkbox-toggle label="Notify me" [checked]="on()" (checkedChange)="asked.push($event)" />
  `,
})
class Host {
  readonly options = [
    { value: 'red', label: 'Red', description: 'Warm' },
    { value: 'green', label: 'Green' },
    { value: 'blue', label: 'Blue' },
  ];
  readonly colours = new FormControl<string[]>(['blue'], { nonNullable: true });
  readonly error = signal<string | null>(null);
  readonly on = signal(false);
  readonly asked: boolean[] = [];
}

describe('SLDS checkboxes', () => {
  async function render() {
    const fixture = TestBed.createComponent(Host);
    const page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    const boxes = () =>
      Array.from(page.querySelectorAll<HTMLInputElement>('slds-checkbox-group input'));
    return { fixture, page, boxes, host: fixture.componentInstance };
  }

  it('when a group is a form control, then ticks follow the value, in the options’ order, both ways', async () => {
    const { fixture, page, boxes, host } = await render();

    expect(boxes().map((b) => b.checked)).toEqual([false, false, true]);
    expect(page.querySelector('legend')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      '* Colours',
    );
    const labels = boxes().map((b) => page.querySelector(`label[for="${b.id}"]`)?.textContent);
    expect(labels.map((l) => l?.trim())).toEqual(['Red', 'Green', 'Blue']);
    expect(page.querySelector('slds-checkbox-group')?.textContent).toContain('Warm');

    boxes()[0].click();
    await fixture.whenStable();
    expect(host.colours.value).toEqual(['red', 'blue']);
    boxes()[2].click();
    await fixture.whenStable();
    expect(host.colours.value).toEqual(['red']);
    expect(boxes().map((b) => b.checked)).toEqual([true, false, false]);

    host.colours.setValue(['green']);
    await fixture.whenStable();
    expect(boxes().map((b) => b.checked)).toEqual([false, true, false]);

    host.colours.disable();
    await fixture.whenStable();
    expect(boxes().every((b) => b.disabled)).toBe(true);
  });

  it('when a group has an error, then it shows under the boxes and the fieldset points at it', async () => {
    const { fixture, page, host } = await render();

    host.error.set('Pick one.');
    await fixture.whenStable();

    const group = page.querySelector('slds-checkbox-group')!;
    expect(group.classList).toContain('slds-has-error');
    const help = group.querySelector('.slds-form-element__help')!;
    expect(help.textContent?.trim()).toBe('Pick one.');
    expect(group.querySelector('fieldset')?.getAttribute('aria-describedby')).toBe(help.id);
  });

  it('when a toggle is clicked, then it asks for the change but shows only what it is told', async () => {
    const { fixture, page, host } = await render();
    const toggle = page.querySelector<HTMLInputElement>('slds-checkbox-toggle input')!;
    expect(toggle.closest('label')?.textContent).toContain('Notify me');

    toggle.click();
    await fixture.whenStable();
    expect(host.asked).toEqual([true]);
    expect(toggle.checked).toBe(false);

    host.on.set(true);
    await fixture.whenStable();
    expect(toggle.checked).toBe(true);
    toggle.click();
    expect(host.asked).toEqual([true, false]);
  });
});
