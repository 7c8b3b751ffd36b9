import { TestBed } from '@angular/core/testing';

import { ToastContainer } from './toast-container';
import { ToastStore } from './toast-store';

describe('ToastContainer', () => {
  let store: ToastStore;

  // Rendered with detectChanges, not whenStable: Angular's scheduler waits on timers that the fake
  // clock holds still.
  beforeEach(() => {
    vi.useFakeTimers();
    store = TestBed.inject(ToastStore);
  });
  afterEach(() => vi.useRealTimers());

  function render(belowNavigation = true) {
    const fixture = TestBed.createComponent(ToastContainer);
    fixture.componentRef.setInput('belowNavigation', belowNavigation);
    fixture.detectChanges();
    const page = fixture.nativeElement as HTMLElement;
    const toasts = () => Array.from(page.querySelectorAll<HTMLElement>('slds-toast'));
    return { fixture, page, toasts };
  }

  it('when several toasts show, then they stack in one column in the order they came, each announced by its kind', () => {
    const { fixture, page, toasts } = render();

    store.show('success', 'Connected to Salesforce');
    store.show('warning', 'Connecting this Task disconnected another Task');
    store.show('error', 'Connection test failed');
    store.show('info', 'Heads up');
    fixture.detectChanges();

    const container = page.querySelector<HTMLElement>('.slds-notify_container')!;
    expect(container.getAttribute('aria-live')).toBe('polite');
    expect(container.classList).toContain('below-navigation');
    expect(getComputedStyle(container).flexDirection).toBe('column');
    expect(
      toasts().map((t) => t.querySelector('.slds-notify__content')?.textContent?.trim()),
    ).toEqual([
      'Connected to Salesforce',
      'Connecting this Task disconnected another Task',
      'Connection test failed',
      'Heads up',
    ]);
    expect(toasts().map((t) => t.getAttribute('role'))).toEqual([
      'status',
      'alert',
      'alert',
      'status',
    ]);
    expect(toasts().map((t) => t.className.match(/slds-theme_\w+/)?.[0])).toEqual([
      'slds-theme_success',
      'slds-theme_warning',
      'slds-theme_error',
      'slds-theme_info',
    ]);
  });

  it('when signed out (no navigation bar), then the column starts right under the header', () => {
    const { page } = render(false);

    expect(page.querySelector('.slds-notify_container')!.classList).not.toContain(
      'below-navigation',
    );
  });

  it('when 5 s pass, then success and info toasts are gone, warnings and errors stay until closed', () => {
    const { fixture, toasts } = render();
    store.show('success', 'Saved');
    store.show('info', 'Note');
    store.show('warning', 'Careful');
    store.show('error', 'Broken');
    fixture.detectChanges();

    vi.advanceTimersByTime(4999);
    fixture.detectChanges();
    expect(toasts()).toHaveLength(4);
    vi.advanceTimersByTime(1);
    fixture.detectChanges();
    expect(toasts().map((t) => t.getAttribute('role'))).toEqual(['alert', 'alert']);

    vi.advanceTimersByTime(60_000);
    fixture.detectChanges();
    expect(toasts()).toHaveLength(2);

    toasts()[0].querySelector<HTMLButtonElement>('button[title=Close]')!.click();
    fixture.detectChanges();
    expect(
      toasts().map((t) => t.querySelector('.slds-notify__content')?.textContent?.trim()),
    ).toEqual(['Broken']);
  });
});
