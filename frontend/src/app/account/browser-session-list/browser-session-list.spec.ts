import { formatDate } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { BrowserSession } from '@contract';

import { makeBrowserSession } from '../../../testing/account-fixtures';
import { settle } from '../../../testing/settle';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { Clock } from '../../core/time/clock';
import { ToastStore } from '../../core/toasts/toast-store';
import { BrowserSessionList } from './browser-session-list';

const NOW = Date.parse('2026-01-06T12:00:00.000Z');
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';

describe('BrowserSessionList', () => {
  let fixture: ComponentFixture<BrowserSessionList>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: Clock, useValue: { now: signal(NOW) } },
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  async function render(sessions: BrowserSession[]): Promise<void> {
    fixture = TestBed.createComponent(BrowserSessionList);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    httpMock.expectOne({ method: 'GET', url: '/api/auth/sessions' }).flush({ sessions });
    await settle(fixture);
  }

  const rows = () => Array.from(page.querySelectorAll<HTMLTableRowElement>('tbody tr'));
  const toasts = () => TestBed.inject(ToastStore).toasts();

  it('when two browsers are signed in, then this one is marked and has no Sign out; the other shows when it was last seen', async () => {
    await render([
      makeBrowserSession({ id: 'me', current: true }),
      makeBrowserSession({ id: 'ff', user_agent: FIREFOX, created_at: null }),
    ]);

    const [mine, other] = rows();
    expect(mine.querySelector('th')?.textContent).toContain('Chrome on Linux');
    expect(mine.querySelector('.slds-badge')?.textContent?.trim()).toBe('This browser');
    expect(mine.querySelector('button')).toBeNull();
    expect(mine.querySelector('td[data-label="Last seen"]')?.textContent?.trim()).toBe('Now');
    expect(mine.querySelector('td[data-label="Signed in"]')?.textContent?.trim()).toBe(
      formatDate('2026-01-05T10:00:00.000Z', 'medium', 'en-US'),
    );

    expect(other.querySelector('th')?.textContent?.trim()).toBe('Firefox on Windows');
    expect(other.querySelector<HTMLElement>('th .slds-truncate')?.title).toBe(FIREFOX);
    expect(other.querySelector('.slds-badge')).toBeNull();
    expect(other.querySelector('td[data-label="Last seen"]')?.textContent?.trim()).toBe(
      '5 minutes ago',
    );
    expect(other.querySelector('td[data-label="Signed in"]')?.textContent?.trim()).toBe('Unknown');
    expect(other.querySelector('button')?.getAttribute('aria-label')).toBe(
      'Sign out Firefox on Windows',
    );
  });

  it('when Sign out is clicked, then it DELETEs that session, drops the row and says so', async () => {
    await render([
      makeBrowserSession({ id: 'me', current: true }),
      makeBrowserSession({ id: 'ff', user_agent: FIREFOX }),
    ]);

    rows()[1].querySelector<HTMLButtonElement>('button')!.click();
    await settle(fixture);
    const req = httpMock.expectOne('/api/auth/sessions/ff');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);

    expect(rows()).toHaveLength(1);
    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['success', 'Firefox on Windows was signed out.'],
    ]);
  });

  it('when that browser is already gone, then an error toast says so and the row stays', async () => {
    await render([makeBrowserSession({ id: 'gone' })]);

    rows()[0].querySelector<HTMLButtonElement>('button')!.click();
    await settle(fixture);
    httpMock
      .expectOne('/api/auth/sessions/gone')
      .flush(
        { error: { code: 'session_not_found', message: 'No such signed-in browser' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle(fixture);

    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['error', 'No such signed-in browser'],
    ]);
    expect(rows()).toHaveLength(1);
    expect(rows()[0].querySelector<HTMLButtonElement>('button')!.disabled).toBe(false);
  });
});
