import { formatDate } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  TestRequest,
} from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { CreateApiToken, CreatedApiToken } from '@contract';
import { API_TOKEN_SCOPES, DEFAULT_API_TOKEN_SCOPES } from '@contract/limits';

import { settle } from '../../../testing/settle';
import { makeTask } from '../../../testing/task-fixtures';
import { makeToken } from '../../../testing/token-fixtures';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { Clock } from '../../core/time/clock';
import { TokenCreateForm } from './token-create-form';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
const TASKS = [
  makeTask({ id: '7d0c6a4e-0000-4000-8000-000000000001', name: 'Nightly account sync' }),
  makeTask({ id: '7d0c6a4e-0000-4000-8000-000000000002', name: 'Quote sync' }),
  makeTask({ id: '7d0c6a4e-0000-4000-8000-000000000003', name: 'Lead import' }),
];

const localDate = (moment: number) => formatDate(moment, 'yyyy-MM-dd', 'en-US');

describe('TokenCreateForm', () => {
  let fixture: ComponentFixture<TokenCreateForm>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;
  let created: CreatedApiToken[];

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: Clock, useValue: { now: signal(NOW) } },
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TokenCreateForm);
    page = fixture.nativeElement as HTMLElement;
    created = [];
    fixture.componentInstance.created.subscribe((answer) => created.push(answer));
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  /** The native input a visible label names (checkboxes and radios label theirs with `for`). */
  const labelled = (text: string): HTMLInputElement | undefined => {
    const label = Array.from(page.querySelectorAll('label')).find(
      (l) => l.textContent?.trim() === text,
    );
    const id = label?.getAttribute('for');
    return id ? (page.querySelector<HTMLInputElement>(`[id="${id}"]`) ?? undefined) : undefined;
  };
  const fieldset = (legend: string) =>
    Array.from(page.querySelectorAll('fieldset')).find((f) =>
      f.querySelector('legend')?.textContent?.includes(legend),
    );
  const checkboxesIn = (legend: string) =>
    Array.from(fieldset(legend)?.querySelectorAll<HTMLInputElement>('input[type=checkbox]') ?? []);
  const expirySelect = () => page.querySelector<HTMLSelectElement>('#token-create-expiry')!;
  const hint = () => page.querySelector('[data-testid=token-expiry-hint]')?.textContent?.trim();

  async function type(selector: string, value: string): Promise<void> {
    const input = page.querySelector<HTMLInputElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
  }
  async function click(input: HTMLInputElement | undefined): Promise<void> {
    input!.click();
    await fixture.whenStable();
  }
  async function chooseExpiry(value: string): Promise<void> {
    expirySelect().value = value;
    expirySelect().dispatchEvent(new Event('change'));
    await fixture.whenStable();
  }
  /** Picks "Only these Tasks" and answers the GET /api/tasks it sends. */
  async function onlyTheseTasks(): Promise<void> {
    await click(labelled('Only these Tasks'));
    httpMock.expectOne({ method: 'GET', url: '/api/tasks?limit=200' }).flush({ tasks: TASKS });
    await settle(fixture);
  }
  async function submit(): Promise<void> {
    page.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await settle(fixture);
  }
  function expectCreate(): TestRequest {
    return httpMock.expectOne({ method: 'POST', url: '/api/tokens' });
  }

  it('when opened, then it offers every scope with a one-line explanation, the four defaults ticked', () => {
    const boxes = checkboxesIn('Scopes');
    expect(boxes.map((box) => box.value)).toEqual([...API_TOKEN_SCOPES]);
    expect(boxes.filter((box) => box.checked).map((box) => box.value)).toEqual([
      ...DEFAULT_API_TOKEN_SCOPES,
    ]);
    expect(labelled('webhooks:manage')!.checked).toBe(false);
    expect(labelled('salesforce:proxy')!.closest('.slds-checkbox')?.textContent).toContain(
      "Call the Salesforce API through a Task's connection.",
    );
    for (const box of boxes) {
      const explanation = box.closest('.slds-checkbox')!.querySelector('.slds-text-body_small');
      expect(explanation?.textContent?.trim().length, box.value).toBeGreaterThan(10);
    }
  });

  it('when opened, then it is for all Tasks, never expires, and loads no Tasks', () => {
    expect(labelled('All Tasks')!.checked).toBe(true);
    expect(labelled('Only these Tasks')!.checked).toBe(false);
    expect(page.querySelector('[data-testid=token-task-picker]')).toBeNull();
    expect(Array.from(expirySelect().options).map((o) => o.textContent?.trim())).toEqual([
      'Never',
      'In 30 days',
      'In 90 days',
      'In 365 days',
      'On a date…',
    ]);
    expect(expirySelect().value).toBe('never');
    expect(hint()).toBe('It works until you revoke it.');
    httpMock.expectNone('/api/tasks?limit=200');
  });

  it('when nothing but the name is chosen, then it sends the name and the default scopes only', async () => {
    await type('#token-create-name', '  Nightly sync  ');
    await submit();

    const req = expectCreate();
    expect(req.request.body).toEqual({
      name: 'Nightly sync',
      scopes: [...DEFAULT_API_TOKEN_SCOPES],
    });
    req.flush({ token: 'tsk_x', api_token: makeToken() }, { status: 201, statusText: 'Created' });
    await settle(fixture);
    expect(created).toHaveLength(1);
  });

  it('when scopes, one Task and 30 days are chosen, then exactly those are sent', async () => {
    await type('#token-create-name', 'Proxy reader');
    await click(labelled('tasks:write'));
    await click(labelled('salesforce:test'));
    await onlyTheseTasks();

    expect(checkboxesIn('Tasks this token can see').map((box) => box.checked)).toEqual([
      false,
      false,
      false,
    ]);
    expect(
      Array.from(fieldset('Tasks this token can see')!.querySelectorAll('label')).map((l) =>
        l.textContent?.trim(),
      ),
    ).toEqual(['Nightly account sync', 'Quote sync', 'Lead import']);
    await click(labelled('Quote sync'));
    await chooseExpiry('30');
    expect(hint()).toBe(`It stops working on ${formatDate(NOW + 30 * DAY, 'medium', 'en-US')}.`);
    await submit();

    const req = expectCreate();
    expect(req.request.body).toEqual({
      name: 'Proxy reader',
      scopes: ['tasks:read', 'salesforce:proxy'],
      task_ids: [TASKS[1].id],
      expires_at: new Date(NOW + 30 * DAY).toISOString(),
    } satisfies CreateApiToken);
    req.flush({ token: 'tsk_x', api_token: makeToken() }, { status: 201, statusText: 'Created' });
    await settle(fixture);

    // Back to a fresh form for the next token.
    expect(
      checkboxesIn('Scopes')
        .filter((b) => b.checked)
        .map((b) => b.value),
    ).toEqual([...DEFAULT_API_TOKEN_SCOPES]);
    expect(labelled('All Tasks')!.checked).toBe(true);
    expect(page.querySelector('[data-testid=token-task-picker]')).toBeNull();
    expect(expirySelect().value).toBe('never');
  });

  it('when the longest lifetime is chosen, then it asks for a minute less, so clock skew is not refused', async () => {
    await type('#token-create-name', 'Yearly');
    await chooseExpiry('365');
    await submit();

    const req = expectCreate();
    const expiresAt = Date.parse((req.request.body as CreateApiToken).expires_at!);
    expect(expiresAt).toBe(NOW + 365 * DAY - 60_000);
    req.flush({ token: 'tsk_x', api_token: makeToken() }, { status: 201, statusText: 'Created' });
  });

  it('when a date is chosen, then the token stops at the start of that day, within the limit', async () => {
    await type('#token-create-name', 'Until spring');
    await chooseExpiry('date');
    const dateInput = page.querySelector<HTMLInputElement>('#token-create-expires-on')!;
    expect(dateInput.type).toBe('date');
    // Tomorrow and the last day within 365 days, in the browser's time zone.
    expect(dateInput.min).toBe(localDate(NOW + DAY));
    expect(dateInput.max).toBe(localDate(NOW + 365 * DAY - 60_000));
    expect(page.querySelector('label[for=token-create-expires-on]')?.textContent).toContain(
      'Expiry date',
    );

    await type('#token-create-expires-on', '2026-03-31');
    const midnight = new Date(2026, 2, 31).getTime();
    expect(hint()).toBe(`It stops working on ${formatDate(midnight, 'medium', 'en-US')}.`);
    await submit();

    const req = expectCreate();
    expect(req.request.body).toEqual({
      name: 'Until spring',
      scopes: [...DEFAULT_API_TOKEN_SCOPES],
      expires_at: new Date(midnight).toISOString(),
    });
    req.flush({ token: 'tsk_x', api_token: makeToken() }, { status: 201, statusText: 'Created' });
  });

  it('when the date is missing, past or too far, then it says why and sends nothing', async () => {
    await type('#token-create-name', 'Bad dates');
    await chooseExpiry('date');
    const error = () => page.querySelector('#token-create-expires-on-error')?.textContent?.trim();

    await submit();
    expect(error()).toBe('Choose the date the token stops working.');
    await type('#token-create-expires-on', '2026-03-01');
    expect(error()).toBe('Choose a date after today.');
    await type('#token-create-expires-on', '2027-03-03');
    expect(error()).toBe('Choose a date at most 365 days ahead.');
    expect(page.querySelector('#token-create-expires-on')!.getAttribute('aria-describedby')).toBe(
      'token-create-expires-on-error',
    );
    await submit();

    httpMock.expectNone({ method: 'POST', url: '/api/tokens' });
  });

  it('when no scope or no Task is ticked, then it says so and sends nothing', async () => {
    await type('#token-create-name', 'Nothing');
    for (const scope of DEFAULT_API_TOKEN_SCOPES) await click(labelled(scope));
    await onlyTheseTasks();
    await submit();

    expect(fieldset('Scopes')!.textContent).toContain('Choose at least one scope.');
    expect(fieldset('Tasks this token can see')!.textContent).toContain(
      'Choose at least one Task.',
    );
    httpMock.expectNone({ method: 'POST', url: '/api/tokens' });
  });

  it('when back to All Tasks, then the ticked Tasks are not sent', async () => {
    await type('#token-create-name', 'Changed my mind');
    await onlyTheseTasks();
    await click(labelled('Lead import'));
    await click(labelled('All Tasks'));
    expect(page.querySelector('[data-testid=token-task-picker]')).toBeNull();
    await submit();

    const req = expectCreate();
    expect(req.request.body).not.toHaveProperty('task_ids');
    req.flush({ token: 'tsk_x', api_token: makeToken() }, { status: 201, statusText: 'Created' });
  });

  it('when the Tasks cannot load, then it shows why and Try again loads them', async () => {
    await click(labelled('Only these Tasks'));
    httpMock
      .expectOne('/api/tasks?limit=200')
      .flush(
        { error: { code: 'internal_error', message: 'Something broke.' } },
        { status: 500, statusText: 'Server Error' },
      );
    await settle(fixture);

    const picker = page.querySelector('[data-testid=token-task-picker]')!;
    expect(picker.querySelector('slds-alert')?.textContent).toContain('Something broke.');
    picker.querySelector<HTMLButtonElement>('button')!.click();
    httpMock.expectOne('/api/tasks?limit=200').flush({ tasks: TASKS });
    await settle(fixture);
    expect(checkboxesIn('Tasks this token can see')).toHaveLength(3);
  });

  it('when the API refuses, then its message shows and the form keeps the choices', async () => {
    await type('#token-create-name', 'Refused');
    await chooseExpiry('90');
    await submit();

    expectCreate().flush(
      { error: { code: 'validation_failed', message: 'expires_at: must be in the future' } },
      { status: 400, statusText: 'Bad Request' },
    );
    await settle(fixture);

    expect(page.querySelector('slds-alert')?.textContent).toContain(
      'expires_at: must be in the future',
    );
    expect(expirySelect().value).toBe('90');
    expect(created).toHaveLength(0);
  });
});
