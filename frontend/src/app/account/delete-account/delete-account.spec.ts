import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { settle } from '../../../testing/settle';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { SessionStore } from '../../core/session/session-store';
import { ToastStore } from '../../core/toasts/toast-store';
import { DeleteAccount } from './delete-account';

@Component({ template: '' })
class Blank {}

describe('DeleteAccount', () => {
  let fixture: ComponentFixture<DeleteAccount>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'login', component: Blank }]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    const signingIn = TestBed.inject(SessionStore).signIn({
      email: 'ada@example.com',
      password: 'x',
    });
    httpMock.expectOne('/api/auth/login').flush({
      user: { id: 'u1', email: 'ada@example.com', created_at: '2026-01-01T00:00:00.000Z' },
    });
    await signingIn;
    fixture = TestBed.createComponent(DeleteAccount);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  const dialog = () => page.querySelector<HTMLElement>('[role=dialog]');
  const confirmButton = () =>
    dialog()!.querySelector<HTMLButtonElement>('.slds-button_destructive')!;

  async function openAndType(password: string): Promise<void> {
    page.querySelector<HTMLButtonElement>('.slds-button_destructive')!.click();
    await settle(fixture);
    const input = dialog()!.querySelector<HTMLInputElement>('#delete-account-password')!;
    input.value = password;
    input.dispatchEvent(new Event('input'));
    await settle(fixture);
  }

  it('when Delete account is clicked, then a dialog says what goes and asks for the password, sending nothing yet', async () => {
    page.querySelector<HTMLButtonElement>('.slds-button_destructive')!.click();
    await settle(fixture);

    const text = dialog()!.textContent!;
    expect(text).toContain('Delete your account?');
    expect(text).toContain('revoked at Salesforce first');
    expect(text).toMatch(
      /Tasks, their connection history, your API tokens, webhooks and every signed-in browser/,
    );
    expect(dialog()!.querySelector('label[for=delete-account-password]')?.textContent).toContain(
      'Password',
    );
    httpMock.expectNone('/api/auth/account');
  });

  it('when confirmed with the password, then it DELETEs the account with it, forgets the user and goes to sign-in with a toast', async () => {
    await openAndType('correct horse battery');

    confirmButton().click();
    await settle(fixture);
    const req = httpMock.expectOne('/api/auth/account');
    expect(req.request.method).toBe('DELETE');
    expect(req.request.body).toEqual({ password: 'correct horse battery' });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);

    expect(TestBed.inject(Router).url).toBe('/login');
    expect(TestBed.inject(SessionStore).isSignedIn()).toBe(false);
    expect(
      TestBed.inject(ToastStore)
        .toasts()
        .map((t) => [t.variant, t.message]),
    ).toEqual([['success', 'Your account was deleted.']]);
    expect(dialog()).toBeNull();
  });

  it('when the password is wrong, then the dialog stays open with the message and the user stays signed in', async () => {
    await openAndType('not it');

    confirmButton().click();
    await settle(fixture);
    httpMock
      .expectOne('/api/auth/account')
      .flush(
        { error: { code: 'wrong_password', message: 'The password is not correct' } },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle(fixture);

    expect(dialog()!.querySelector('slds-alert')?.textContent).toContain(
      'The password is not correct',
    );
    expect(confirmButton().disabled).toBe(false);
    expect(TestBed.inject(SessionStore).isSignedIn()).toBe(true);
  });

  it('when confirmed with no password, then it asks for one and sends nothing', async () => {
    await openAndType('');

    confirmButton().click();
    await settle(fixture);

    expect(dialog()!.querySelector('slds-alert')?.textContent).toContain('Enter your password');
    httpMock.expectNone('/api/auth/account');
  });
});
