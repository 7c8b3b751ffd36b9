import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { SldsAlert } from './alert';
import { SldsIcon } from './icon';

@Component({
  imports: [SldsAlert, SldsIcon],
  template: `
    <slds-icon class="extra" [name]="name()" size="x-small" color="default" assistiveText="Add" />
    <slds-alert variant="error">Broken</slds-alert>
  `,
})
class Host {
  readonly name = signal('add');
}

describe('SldsIcon and SldsAlert', () => {
  it('when rendered, then the icon points at the copied sprite and keeps every class', async () => {
    const fixture = TestBed.createComponent(Host);
    const page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();

    const icon = page.querySelector('slds-icon')!;
    expect(Array.from(icon.classList).sort()).toEqual([
      'extra',
      'slds-icon-utility-add',
      'slds-icon_container',
    ]);
    expect(icon.querySelector('use')?.getAttribute('href')).toBe(
      '/assets/icons/utility-sprite/svg/symbols.svg#add',
    );
    const svgClasses = icon.querySelector('svg')!.getAttribute('class')!.split(' ').sort();
    expect(svgClasses).toEqual(['slds-icon', 'slds-icon-text-default', 'slds-icon_x-small']);
    expect(icon.querySelector('.slds-assistive-text')?.textContent).toBe('Add');

    fixture.componentInstance.name.set('close');
    await fixture.whenStable();
    expect(icon.classList).toContain('slds-icon-utility-close');
    expect(icon.classList).not.toContain('slds-icon-utility-add');

    // The sprite symbol keeps the underscores; SLDS's colour class has hyphens.
    fixture.componentInstance.name.set('chevron_right');
    await fixture.whenStable();
    expect(icon.classList).toContain('slds-icon-utility-chevron-right');
    expect(icon.querySelector('use')?.getAttribute('href')).toContain('#chevron_right');
  });

  it('when an error alert is rendered, then it is an announced SLDS error banner', async () => {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();

    const alert = (fixture.nativeElement as HTMLElement).querySelector('slds-alert')!;
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.classList).toContain('slds-notify_alert');
    expect(alert.classList).toContain('slds-alert_error');
    expect(alert.querySelector('use')?.getAttribute('href')).toContain('#error');
    expect(alert.textContent).toContain('Broken');
  });
});
