import { Component, signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import { settle } from '../../../testing/settle';
import { BrowserClipboard } from '../../core/browser/browser-clipboard';
import { ToastStore } from '../../core/toasts/toast-store';
import { OneTimeSecret } from './one-time-secret';

@Component({
  imports: [OneTimeSecret],
  template: `
    <app-one-time-secret
      label="Signing secret"
      inputId="the-secret"
      noun="signing secret"
      [secret]="secret()"
      (dismissed)="dismissed = dismissed + 1"
    >
      Copy it <strong>now</strong>.
      @if (withHint()) {
        <span oneTimeSecretHint>It signs every delivery.</span>
      }
    </app-one-time-secret>
  `,
})
class Host {
  readonly secret = signal('whsec_one');
  readonly withHint = signal(true);
  dismissed = 0;
}

describe('OneTimeSecret', () => {
  let fixture: ComponentFixture<Host>;
  let page: HTMLElement;
  let copy: ReturnType<typeof vi.fn>;

  beforeEach(async () => {
    copy = vi.fn().mockResolvedValue(undefined);
    TestBed.configureTestingModule({
      providers: [{ provide: BrowserClipboard, useValue: { copy } }],
    });
    fixture = TestBed.createComponent(Host);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  const button = (text: string) =>
    Array.from(page.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === text,
    );
  const toasts = () => TestBed.inject(ToastStore).toasts();

  it('when shown, then the sentence is a status note, the secret is focused and the hint sits under it', () => {
    const note = page.querySelector('slds-scoped-notification')!;
    expect(note.getAttribute('role')).toBe('status');
    expect(note.textContent).toContain('Copy it now.');
    expect(note.textContent).not.toContain('It signs every delivery.');
    const field = page.querySelector<HTMLInputElement>('#the-secret')!;
    expect(field.value).toBe('whsec_one');
    expect(document.activeElement).toBe(field);
    expect(page.querySelector('label[for=the-secret]')?.textContent?.trim()).toBe('Signing secret');
    expect(page.querySelector('.hint')?.textContent?.trim()).toBe('It signs every delivery.');
  });

  it('when Copy works, then the toast names the secret, and a newer secret shows Copy again', async () => {
    button('Copy')!.click();
    await settle(fixture);

    expect(copy).toHaveBeenCalledExactlyOnceWith('whsec_one');
    expect(toasts().map((t) => t.message)).toEqual(['Signing secret copied to the clipboard.']);
    expect(button('Copied')).toBeDefined();

    fixture.componentInstance.secret.set('whsec_two');
    await fixture.whenStable();
    expect(button('Copy')).toBeDefined();
    expect(page.querySelector<HTMLInputElement>('#the-secret')!.value).toBe('whsec_two');
  });

  it('when the browser refuses, then the error toast says to select the secret by hand', async () => {
    copy.mockRejectedValue(new Error('NotAllowedError'));

    button('Copy')!.click();
    await settle(fixture);

    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['error', 'Copying was refused by the browser. Select the signing secret and copy it.'],
    ]);
  });

  it('when Done is clicked, then it says so; with no hint, no empty space is left for one', async () => {
    button('Done')!.click();
    expect(fixture.componentInstance.dismissed).toBe(1);

    fixture.componentInstance.withHint.set(false);
    await fixture.whenStable();
    expect(getComputedStyle(page.querySelector('.hint')!).display).toBe('none');
  });
});
