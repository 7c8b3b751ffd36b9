import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { settle } from '../../../testing/settle';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { ToastStore } from '../../core/toasts/toast-store';
import { ChangePasswordForm } from './change-password-form';

describe('ChangePasswordForm', () => {
  let fixture: ComponentFixture<ChangePasswordForm>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;
  let changed: number;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ChangePasswordForm);
    page = fixture.nativeElement as HTMLElement;
    changed = 0;
    fixture.componentInstance.changed.subscribe(() => changed++);
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  async function fillAndSubmit(current: string, next: string): Promise<void> {
    for (const [id, value] of [
      ['current-password', current],
      ['new-password', next],
    ]) {
      const input = page.querySelector<HTMLInputElement>(`#${id}`)!;
      input.value = value;
      input.dispatchEvent(new Event('input'));
    }
    page.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle(fixture);
  }

  const toasts = () => TestBed.inject(ToastStore).toasts();

  it('when both passwords are given, then it PATCHes them, says other browsers were signed out and clears the form', async () => {
    await fillAndSubmit('old password', 'a brand new passphrase');

    const req = httpMock.expectOne('/api/auth/password');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({
      current_password: 'old password',
      new_password: 'a brand new passphrase',
    });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);

    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['success', 'Password changed; other browsers were signed out.'],
    ]);
    expect(changed).toBe(1);
    expect(page.querySelector<HTMLInputElement>('#current-password')!.value).toBe('');
    expect(page.querySelector<HTMLInputElement>('#new-password')!.value).toBe('');
    expect(page.querySelector('.slds-form-element__help')).toBeNull();
  });

  it('when the current password is wrong, then the server message shows and nothing is announced', async () => {
    await fillAndSubmit('not it', 'a brand new passphrase');

    httpMock
      .expectOne('/api/auth/password')
      .flush(
        { error: { code: 'wrong_password', message: 'The password is not correct' } },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);

    expect(page.querySelector('slds-alert')?.textContent).toContain('The password is not correct');
    expect(toasts()).toEqual([]);
    expect(changed).toBe(0);
  });

  it('when the new password is too short, then it says so and sends nothing', async () => {
    await fillAndSubmit('old password', 'short');

    expect(page.querySelector('#new-password-error')?.textContent?.trim()).toBe(
      'Use at least 8 characters.',
    );
    httpMock.expectNone('/api/auth/password');
  });
});
