import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { SignUp } from './sign-up';

@Component({ template: '' })
class TasksStub {}

describe('SignUp', () => {
  let fixture: ComponentFixture<SignUp>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [SignUp],
      providers: [
        provideRouter([{ path: 'tasks', component: TasksStub }]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(SignUp);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  async function fillAndSubmit(email: string, password: string): Promise<void> {
    for (const [id, value] of [
      ['sign-up-email', email],
      ['sign-up-password', password],
    ]) {
      const el = page.querySelector<HTMLInputElement>(`#${id}`)!;
      el.value = value;
      el.dispatchEvent(new Event('input'));
    }
    page.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle();
  }

  it('when the password is shorter than 8 characters, then it says so and sends nothing', async () => {
    await fillAndSubmit('ada@example.com', 'short');

    expect(page.querySelector('#sign-up-password-error')?.textContent?.trim()).toBe(
      'Use at least 8 characters.',
    );
    httpMock.expectNone('/api/auth/register');
  });

  it('when valid, then it POSTs /api/auth/register and goes to /tasks', async () => {
    await fillAndSubmit('ada@example.com', 'long enough');

    const req = httpMock.expectOne('/api/auth/register');
    expect(req.request.body).toEqual({ email: 'ada@example.com', password: 'long enough' });
    req.flush(
      { user: { id: 'u1', email: 'ada@example.com', created_at: '2026-01-01T00:00:00.000Z' } },
      { status: 201, statusText: 'Created' },
    );
    await settle();

    expect(TestBed.inject(Router).url).toBe('/tasks');
  });

  it('when the email is taken, then it shows the server message', async () => {
    await fillAndSubmit('ada@example.com', 'long enough');

    httpMock
      .expectOne('/api/auth/register')
      .flush(
        { error: { code: 'email_taken', message: 'An account with this email already exists.' } },
        { status: 409, statusText: 'Conflict' },
      );
    await settle();

    expect(page.querySelector('slds-alert')?.textContent).toContain(
      'An account with this email already exists.',
    );
  });
});
