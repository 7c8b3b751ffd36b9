import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { SessionStore } from '../../core/session/session-store';
import { SignIn } from './sign-in';

@Component({ template: '' })
class TasksStub {}

const USER = {
  id: '6f1c2b1e-0000-4000-8000-000000000001',
  email: 'ada@example.com',
  created_at: '2026-01-01T00:00:00.000Z',
};

describe('SignIn', () => {
  let fixture: ComponentFixture<SignIn>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [SignIn],
      providers: [
        provideRouter([{ path: 'tasks', component: TasksStub }]),
        // The real interceptor, so errors reach the page exactly as in the app (as ApiError).
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SignIn);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  function input(id: string): HTMLInputElement {
    return page.querySelector<HTMLInputElement>(`#${id}`)!;
  }

  function type(id: string, value: string): void {
    const el = input(id);
    el.value = value;
    el.dispatchEvent(new Event('input'));
  }

  /** The page awaits promises after the response, so let a macrotask pass before checking. */
  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  async function submit(): Promise<void> {
    page.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
  }

  function errorText(id: string): string | undefined {
    return page.querySelector(`#${id}-error`)?.textContent?.trim();
  }

  it('when submitted empty, then it shows both required messages and sends no request', async () => {
    await submit();

    expect(errorText('sign-in-email')).toBe('Enter your email address.');
    expect(errorText('sign-in-password')).toBe('Enter your password.');
    expect(input('sign-in-email').getAttribute('aria-invalid')).toBe('true');
    expect(input('sign-in-email').getAttribute('aria-describedby')).toBe('sign-in-email-error');
    httpMock.expectNone('/api/auth/login');
  });

  it('when the email is malformed, then it shows the format message and sends no request', async () => {
    type('sign-in-email', 'not-an-email');
    type('sign-in-password', 'correct horse');

    await submit();

    expect(errorText('sign-in-email')).toBe('Enter a valid email address, like name@example.com.');
    expect(errorText('sign-in-password')).toBeUndefined();
    httpMock.expectNone('/api/auth/login');
  });

  it('when the form is untouched, then no error is shown yet', () => {
    expect(page.querySelectorAll('.slds-form-element__help')).toHaveLength(0);
    expect(page.querySelector('.slds-has-error')).toBeNull();
  });

  it('when the person leaves the email field empty, then its message appears without submitting', async () => {
    input('sign-in-email').dispatchEvent(new Event('blur'));
    await fixture.whenStable();

    expect(errorText('sign-in-email')).toBe('Enter your email address.');
    expect(errorText('sign-in-password')).toBeUndefined();
  });

  it('when valid, then it POSTs the credentials, shows a spinner, signs in and goes to /tasks', async () => {
    type('sign-in-email', 'ada@example.com');
    type('sign-in-password', 'correct horse');

    await submit();

    const req = httpMock.expectOne('/api/auth/login');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'correct horse' });
    expect(req.request.withCredentials).toBe(true);
    expect(page.querySelector('slds-spinner')).not.toBeNull();
    expect(page.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).toBe(true);

    req.flush({ user: USER });
    await settle();

    expect(TestBed.inject(Router).url).toBe('/tasks');
    expect(TestBed.inject(SessionStore).user()).toEqual(USER);
  });

  it('when the server answers 401, then it shows the server message and stays on the page', async () => {
    const router = TestBed.inject(Router);
    const startUrl = router.url;
    type('sign-in-email', 'ada@example.com');
    type('sign-in-password', 'wrong password');
    await submit();

    httpMock
      .expectOne('/api/auth/login')
      .flush(
        { error: { code: 'invalid_credentials', message: 'Email or password is incorrect.' } },
        { status: 401, statusText: 'Unauthorized' },
      );
    await settle();

    expect(page.querySelector('slds-alert[role=alert]')?.textContent).toContain(
      'Email or password is incorrect.',
    );
    expect(page.querySelector('slds-spinner')).toBeNull();
    expect(page.querySelector<HTMLButtonElement>('button[type=submit]')!.disabled).toBe(false);
    expect(router.url).toBe(startUrl);
    expect(TestBed.inject(SessionStore).isSignedIn()).toBe(false);
  });
});
