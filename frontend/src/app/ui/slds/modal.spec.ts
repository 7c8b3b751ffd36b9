import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { SldsModal } from './modal';

@Component({
  imports: [SldsModal],
  template: `
    <button type="button" id="opener" (click)="open.set(true)">Open</button>
    <button type="button" id="outside">Outside</button>
    @if (open()) {
      <slds-modal heading="Rename" (closed)="open.set(false); closedCount = closedCount + 1">
        <label for="field">New name</label>
        <input id="field" />
        <ng-container ngProjectAs="[sldsModalFooter]">
          <button type="button" id="cancel">Cancel</button>
          <button type="button" id="ok">OK</button>
        </ng-container>
      </slds-modal>
    }
  `,
})
class Host {
  readonly open = signal(false);
  closedCount = 0;
}

describe('SldsModal', () => {
  let fixture: ComponentFixture<Host>;
  let page: HTMLElement;

  const byId = (id: string) => page.querySelector<HTMLElement>(`#${id}`)!;
  const closeButton = () => page.querySelector<HTMLButtonElement>('.slds-modal__close')!;

  function press(key: string, shiftKey = false): KeyboardEvent {
    const event = new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true });
    (document.activeElement ?? document.body).dispatchEvent(event);
    return event;
  }

  beforeEach(async () => {
    fixture = TestBed.createComponent(Host);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    byId('opener').focus();
    byId('opener').click();
    await fixture.whenStable();
  });

  it('when opened, then it is a labelled modal dialog and focus moves to the first field in it', () => {
    const dialog = page.querySelector('section[role=dialog]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const headingId = dialog.getAttribute('aria-labelledby')!;
    expect(document.getElementById(headingId)?.textContent).toBe('Rename');
    expect(page.querySelector('.slds-backdrop_open')).not.toBeNull();
    expect(document.activeElement).toBe(byId('field'));
  });

  it('when Tab is pressed on the last control, then focus wraps to the first (the close button)', () => {
    byId('ok').focus();

    const event = press('Tab');

    expect(event.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(closeButton());
  });

  it('when Shift+Tab is pressed on the first control, then focus wraps to the last', () => {
    closeButton().focus();

    const event = press('Tab', true);

    expect(event.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(byId('ok'));
  });

  it('when Tab is pressed in the middle, then the browser moves focus as usual', () => {
    byId('field').focus();

    expect(press('Tab').defaultPrevented).toBe(false);
  });

  it('when focus lands outside the modal, then it is pulled back inside', () => {
    byId('outside').focus();

    expect(document.activeElement).toBe(byId('field'));
  });

  it('when Escape is pressed, then it closes and focus returns to the opener', async () => {
    press('Escape');
    await fixture.whenStable();

    expect(fixture.componentInstance.closedCount).toBe(1);
    expect(page.querySelector('slds-modal')).toBeNull();
    expect(document.activeElement).toBe(byId('opener'));
  });

  it('when the close button is clicked, then it closes', async () => {
    closeButton().click();
    await fixture.whenStable();

    expect(fixture.componentInstance.closedCount).toBe(1);
    expect(page.querySelector('slds-modal')).toBeNull();
  });
});
