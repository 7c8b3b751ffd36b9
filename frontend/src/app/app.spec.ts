import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';

import { App } from './app';
import { apiErrorInterceptor } from './core/api/api-error-interceptor';
import { SessionStore } from './core/session/session-store';

@Component({ template: '' })
class Blank {}

describe('App shell', () => {
  let fixture: ComponentFixture<App>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: [
        provideRouter([
          { path: 'login', component: Blank },
          { path: 'tasks', component: Blank },
          { path: 'tokens', component: Blank },
          { path: 'webhooks', component: Blank },
        ]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(App);
    page = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => httpMock.verify());

  async function signInAs(email: string): Promise<void> {
    const signingIn = TestBed.inject(SessionStore).signIn({ email, password: 'x' });
    httpMock
      .expectOne('/api/auth/login')
      .flush({ user: { id: 'u1', email, created_at: '2026-01-01T00:00:00.000Z' } });
    await signingIn;
    await fixture.whenStable();
  }

  it('when signed out, then the header shows the app name and no Sign out button', async () => {
    await fixture.whenStable();

    expect(page.querySelector('header')?.textContent).toContain('Tasks ⇄ Salesforce');
    expect(page.querySelector('header button')).toBeNull();
    expect(page.querySelector('.slds-notify_container')?.getAttribute('aria-live')).toBe('polite');
  });

  it('when signed in, then the header shows the email, and Sign out POSTs {} and goes to /login', async () => {
    await signInAs('ada@example.com');
    expect(page.querySelector('[data-testid=header-email]')?.textContent).toBe('ada@example.com');
    expect(page.querySelector('[data-testid=header-email]')?.getAttribute('href')).toBe('/account');

    page.querySelector<HTMLButtonElement>('header button')!.click();
    const req = httpMock.expectOne('/api/auth/logout');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({});
    req.flush(null, { status: 204, statusText: 'No Content' });
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();

    expect(TestBed.inject(Router).url).toBe('/login');
    expect(page.querySelector('[data-testid=header-email]')).toBeNull();
  });

  it('when signed in, then the navigation bar links Tasks, API tokens and Webhooks and marks the current page', async () => {
    expect(page.querySelector('nav.slds-context-bar')).toBeNull();
    await signInAs('ada@example.com');

    await TestBed.inject(Router).navigateByUrl('/tokens');
    await fixture.whenStable();

    const links = Array.from(page.querySelectorAll<HTMLAnchorElement>('nav.slds-context-bar a'));
    expect(links.map((a) => [a.textContent?.trim(), a.getAttribute('href')])).toEqual([
      ['Tasks', '/tasks'],
      ['API tokens', '/tokens'],
      ['Webhooks', '/webhooks'],
    ]);
    expect(links[1].getAttribute('aria-current')).toBe('page');
    expect(links[1].closest('li')?.classList).toContain('slds-is-active');
    expect(links[0].hasAttribute('aria-current')).toBe(false);
  });
});
