import { formatDate } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { ApiToken } from '@contract';
import { DEFAULT_API_TOKEN_SCOPES } from '@contract/limits';

import { settle } from '../../../testing/settle';
import { makeTask } from '../../../testing/task-fixtures';
import { makeToken } from '../../../testing/token-fixtures';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { BrowserClipboard } from '../../core/browser/browser-clipboard';
import { ToastStore } from '../../core/toasts/toast-store';
import { TokenList } from './token-list';

const SECRET = 'tsk_9f2c1d0e8b7a6c5d4e3f2a1b0c9d8e7f';

describe('TokenList', () => {
  let fixture: ComponentFixture<TokenList>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;
  let copy: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    copy = vi.fn().mockResolvedValue(undefined);
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: BrowserClipboard, useValue: { copy } },
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  async function render(tokens: ApiToken[]): Promise<void> {
    fixture = TestBed.createComponent(TokenList);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    httpMock.expectOne({ method: 'GET', url: '/api/tokens' }).flush({ tokens });
    await settle(fixture);
  }

  const rows = () => Array.from(page.querySelectorAll<HTMLTableRowElement>('tbody tr'));
  const toasts = () => TestBed.inject(ToastStore).toasts();
  const button = (text: string) =>
    Array.from(page.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === text,
    );

  async function create(name: string): Promise<void> {
    const input = page.querySelector<HTMLInputElement>('#token-create-name')!;
    input.value = name;
    input.dispatchEvent(new Event('input'));
    button('Create token')!.click();
    await settle(fixture);
    const req = httpMock.expectOne({ method: 'POST', url: '/api/tokens' });
    expect(req.request.body).toEqual({ name, scopes: [...DEFAULT_API_TOKEN_SCOPES] });
    req.flush(
      { token: SECRET, api_token: makeToken({ id: 'new', name }) },
      { status: 201, statusText: 'Created' },
    );
    await settle(fixture);
  }

  it('when tokens exist, then each row shows name, created and last used', async () => {
    const used = '2026-02-01T09:30:00.000Z';
    await render([makeToken({ name: 'Billing', last_used_at: used }), makeToken({ name: 'CI' })]);

    const [billing, ci] = rows();
    expect(billing.querySelector('th')?.textContent?.trim()).toBe('Billing');
    // The day it was created; the time is in the title, to keep the row narrow.
    const created = billing.querySelector<HTMLElement>('td[data-label=Created] time')!;
    expect(created.textContent?.trim()).toBe(
      formatDate('2026-01-05T10:00:00.000Z', 'mediumDate', 'en-US'),
    );
    expect(created.title).toBe(formatDate('2026-01-05T10:00:00.000Z', 'medium', 'en-US'));
    expect(billing.textContent).toContain(formatDate(used, 'medium', 'en-US'));
    expect(ci.textContent).toContain('Never');
    expect(page.querySelector('[data-testid=new-token]')).toBeNull();
  });

  it('when tokens are scoped, limited to Tasks or expiring, then each row says so, and an expired one is marked', async () => {
    const tasks = [
      makeTask({ id: 'a1', name: 'Nightly account sync' }),
      makeTask({ id: 'b2', name: 'Quote sync' }),
      makeTask({ id: 'c3', name: 'Lead import' }),
    ];
    const expiresAt = '2026-04-01T12:00:00.000Z';
    const expiredAt = '2026-01-10T08:00:00.000Z';
    fixture = TestBed.createComponent(TokenList);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    httpMock.expectOne('/api/tokens').flush({
      tokens: [
        makeToken({
          name: 'Proxy reader',
          scopes: ['salesforce:proxy', 'tasks:read'],
          task_ids: ['b2'],
          expires_at: expiresAt,
          calls: 1234,
        }),
        makeToken({
          name: 'Old export',
          task_ids: ['a1', 'b2', 'c3'],
          expires_at: expiredAt,
          expired: true,
        }),
        makeToken({
          name: 'Everything',
          scopes: [
            'tasks:read',
            'tasks:write',
            'salesforce:test',
            'salesforce:proxy',
            'webhooks:manage',
          ],
        }),
      ],
    });
    await settle(fixture);
    // Some token is limited to Tasks: their names are loaded to show.
    httpMock.expectOne({ method: 'GET', url: '/api/tasks?limit=200' }).flush({ tasks });
    await settle(fixture);

    const cell = (row: HTMLTableRowElement, testId: string) =>
      row.querySelector<HTMLElement>(`[data-testid=${testId}]`)!;
    const truncated = (row: HTMLTableRowElement, testId: string) =>
      cell(row, testId).querySelector<HTMLElement>('.slds-truncate')!;
    const [reader, old, everything] = rows();

    expect(truncated(reader, 'token-scopes').textContent?.trim()).toBe(
      'tasks: read · salesforce: proxy',
    );
    expect(truncated(reader, 'token-scopes').title).toBe('tasks:read, salesforce:proxy');
    expect(truncated(reader, 'token-tasks').textContent?.trim()).toBe('Quote sync');
    expect(cell(reader, 'token-expires').textContent?.trim()).toBe(
      formatDate(expiresAt, 'mediumDate', 'en-US'),
    );
    expect(cell(reader, 'token-expires').querySelector('time')?.getAttribute('datetime')).toBe(
      expiresAt,
    );
    expect(cell(reader, 'token-calls').textContent?.trim()).toBe('1,234');
    expect(reader.querySelector('.slds-badge')).toBeNull();

    const badge = cell(old, 'token-expires').querySelector('.slds-badge');
    expect(badge?.textContent?.trim()).toBe('Expired');
    expect(badge?.classList).toContain('slds-theme_error');
    expect(cell(old, 'token-expires').textContent).toContain(
      formatDate(expiredAt, 'mediumDate', 'en-US'),
    );
    expect(truncated(old, 'token-tasks').textContent?.trim()).toBe('3 Tasks');
    expect(truncated(old, 'token-tasks').title).toBe(
      'Nightly account sync, Quote sync, Lead import',
    );
    expect(truncated(old, 'token-scopes').textContent?.trim()).toBe(
      'tasks: read, write · salesforce: test, proxy',
    );

    expect(truncated(everything, 'token-scopes').textContent?.trim()).toBe(
      'tasks: read, write · salesforce: test, proxy · webhooks: manage',
    );
    expect(truncated(everything, 'token-tasks').textContent?.trim()).toBe('All Tasks');
    expect(cell(everything, 'token-expires').textContent?.trim()).toBe('Never');
    expect(cell(everything, 'token-calls').textContent?.trim()).toBe('0');
    expect(
      Array.from(page.querySelectorAll('thead th')).map((th) => th.textContent?.trim()),
    ).toEqual(['Name', 'Scopes', 'Tasks', 'Expires', 'Created', 'Last used', 'Calls', 'Actions']);
  });

  it('when there are none, then it says so', async () => {
    await render([]);

    expect(page.querySelector('[data-testid=tokens-empty]')).not.toBeNull();
    expect(page.querySelector('table')).toBeNull();
  });

  it('when a token is created, then the secret is shown once, focused, and the row is added', async () => {
    await render([makeToken({ name: 'Older' })]);

    await create('Nightly sync');

    const field = page.querySelector<HTMLInputElement>('#new-token-value')!;
    expect(field.value).toBe(SECRET);
    expect(field.readOnly).toBe(true);
    expect(page.querySelector('label[for=new-token-value]')?.textContent).toContain('API token');
    expect(document.activeElement).toBe(field);
    expect(page.querySelector('[data-testid=new-token]')?.textContent).toContain(
      'You will not be able to see it again',
    );
    expect(rows().map((r) => r.querySelector('th')?.textContent?.trim())).toEqual([
      'Nightly sync',
      'Older',
    ]);

    button('Done')!.click();
    await fixture.whenStable();

    expect(page.querySelector('[data-testid=new-token]')).toBeNull();
    expect(page.textContent).not.toContain(SECRET);
  });

  it('when the page is opened again, then the secret is not there any more', async () => {
    await render([]);
    await create('Once');
    fixture.destroy();

    await render([makeToken({ id: 'new', name: 'Once' })]);

    expect(page.querySelector('[data-testid=new-token]')).toBeNull();
    expect(page.textContent).not.toContain(SECRET);
  });

  it('when Copy is clicked, then the secret goes to the clipboard and the button says so', async () => {
    await render([]);
    await create('Copy me');

    button('Copy')!.click();
    await settle(fixture);

    expect(copy).toHaveBeenCalledExactlyOnceWith(SECRET);
    expect(button('Copied')).toBeDefined();
    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['success', 'Token copied to the clipboard.'],
    ]);
  });

  it('when the browser refuses to copy, then an error toast says how to copy by hand', async () => {
    copy.mockRejectedValue(new Error('NotAllowedError'));
    await render([]);
    await create('No clipboard');

    button('Copy')!.click();
    await settle(fixture);

    expect(toasts()[0]).toMatchObject({ variant: 'error' });
    expect(toasts()[0].message).toContain('Select the token and copy it');
    expect(button('Copy')).toBeDefined();
  });

  it('when the name is empty, then it says so and sends nothing', async () => {
    await render([]);

    button('Create token')!.click();
    await settle(fixture);

    expect(page.querySelector('#token-create-name-error')?.textContent?.trim()).toBe(
      'Enter a name, so you can tell your tokens apart.',
    );
    httpMock.expectNone({ method: 'POST', url: '/api/tokens' });
  });

  it('when Revoke is confirmed, then it DELETEs the token and drops the row', async () => {
    await render([makeToken({ id: 'k1', name: 'Old CI' }), makeToken({ name: 'Keep' })]);

    page.querySelector<HTMLButtonElement>('button[aria-label="Revoke Old CI"]')!.click();
    await settle(fixture);
    const dialog = page.querySelector('[role=dialog]')!;
    expect(dialog.textContent).toContain('Revoke API token?');
    expect(dialog.textContent).toContain('Old CI');
    httpMock.expectNone('/api/tokens/k1');
    dialog.querySelector<HTMLButtonElement>('.slds-button_destructive')!.click();
    await settle(fixture);
    const req = httpMock.expectOne('/api/tokens/k1');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);

    expect(page.querySelector('[role=dialog]')).toBeNull();
    expect(rows().map((r) => r.querySelector('th')?.textContent?.trim())).toEqual(['Keep']);
    expect(toasts().map((t) => t.message)).toEqual(['Token "Old CI" revoked.']);
  });

  it('when revoking fails, then the modal keeps the server message', async () => {
    await render([makeToken({ id: 'k1', name: 'Old CI' })]);
    page.querySelector<HTMLButtonElement>('button[aria-label="Revoke Old CI"]')!.click();
    await settle(fixture);
    page.querySelector<HTMLButtonElement>('[role=dialog] .slds-button_destructive')!.click();
    await settle(fixture);

    httpMock
      .expectOne('/api/tokens/k1')
      .flush(
        { error: { code: 'api_token_not_found', message: 'API token not found' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle(fixture);

    expect(page.querySelector('[role=dialog] slds-alert')?.textContent).toContain(
      'API token not found',
    );
    expect(rows()).toHaveLength(1);
  });

  it('when the list cannot load, then it shows the message and Try again', async () => {
    fixture = TestBed.createComponent(TokenList);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    httpMock
      .expectOne('/api/tokens')
      .flush(
        { error: { code: 'internal_error', message: 'Something broke.' } },
        { status: 500, statusText: 'Server Error' },
      );
    await settle(fixture);

    expect(page.querySelector('slds-alert')?.textContent).toContain('Something broke.');
    button('Try again')!.click();
    httpMock.expectOne('/api/tokens').flush({ tokens: [makeToken()] });
    await settle(fixture);
    expect(rows()).toHaveLength(1);
  });
});
