import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { Task } from '@contract';

import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { ToastStore } from '../../core/toasts/toast-store';
import { makeConnection, makeHealth, makeTask } from '../../../testing/task-fixtures';
import { TASK_SEARCH_DEBOUNCE_MS, TaskList } from './task-list';

describe('TaskList', () => {
  let fixture: ComponentFixture<TaskList>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [TaskList],
      providers: [
        provideRouter([], withComponentInputBinding()),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        // Still a timer (the keys of one burst make one request), but no 300 ms wait per test.
        { provide: TASK_SEARCH_DEBOUNCE_MS, useValue: 0 },
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(TaskList);
    page = fixture.nativeElement as HTMLElement;
  });

  afterEach(() => httpMock.verify());

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }

  /** Renders (the list loads once its inputs are bound), then answers the GET. */
  async function answerList(tasks: Task[]): Promise<void> {
    await fixture.whenStable();
    const req = httpMock.expectOne('/api/tasks');
    expect(req.request.method).toBe('GET');
    req.flush({ tasks });
    await settle();
  }

  function rows(): HTMLTableRowElement[] {
    return Array.from(page.querySelectorAll<HTMLTableRowElement>('table tbody tr'));
  }

  function type(id: string, value: string): void {
    const el = page.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`)!;
    el.value = value;
    el.dispatchEvent(new Event('input'));
  }

  async function submitCreateForm(): Promise<void> {
    page.querySelector<HTMLButtonElement>('app-task-create-form button[type=submit]')!.click();
    await settle();
  }

  it('while the list loads, then it shows a spinner', async () => {
    await fixture.whenStable();

    expect(page.querySelector('slds-spinner')?.textContent).toContain('Loading tasks');
    await answerList([]);
    expect(page.querySelector('slds-spinner')).toBeNull();
  });

  it('when tasks exist, then it renders one row each with its health badge', async () => {
    await answerList([
      makeTask({ name: 'Plain', description: 'Not linked yet' }),
      makeTask({ name: 'Linked', sfdc: makeConnection() }),
      makeTask({
        name: 'Slow',
        sfdc: makeConnection({
          health: makeHealth({ state: 'degraded', reason: 'Salesforce did not answer in time.' }),
        }),
      }),
      makeTask({
        name: 'Revoked',
        sfdc: makeConnection({
          status: 'reconnect_needed',
          status_reason: 'invalid_grant',
          health: makeHealth({
            state: 'reconnect_needed',
            reason: 'Salesforce revoked access to this org. Reconnect to use it again.',
          }),
        }),
      }),
    ]);

    const [plain, linked, slow, revoked] = rows();
    expect(rows()).toHaveLength(4);
    expect(plain.querySelector('th')?.textContent?.trim()).toBe('Plain');
    expect(plain.textContent).toContain('Not linked yet');
    expect(linked.textContent).toContain('No description');

    const badge = (row: HTMLElement) => row.querySelector<HTMLElement>('.slds-badge')!;
    const theme = (row: HTMLElement) =>
      Array.from(badge(row).classList).filter((c) => c.startsWith('slds-theme_'));
    expect(badge(plain).textContent?.trim()).toBe('Not connected');
    expect(theme(plain)).toEqual([]);
    expect(badge(linked).textContent?.trim()).toBe('Healthy');
    expect(theme(linked)).toEqual(['slds-theme_success']);
    expect(badge(linked).hasAttribute('title')).toBe(false);
    expect(linked.querySelector('[data-label=Salesforce]')?.textContent).toContain('ada@acme.com');
    expect(badge(slow).textContent?.trim()).toBe('Degraded');
    expect(theme(slow)).toEqual(['slds-theme_warning']);
    expect(badge(slow).getAttribute('title')).toBe('Salesforce did not answer in time.');
    expect(badge(revoked).textContent?.trim()).toBe('Reconnect needed');
    expect(theme(revoked)).toEqual(['slds-theme_error']);
    expect(badge(revoked).getAttribute('title')).toBe(
      'Salesforce revoked access to this org. Reconnect to use it again.',
    );
    expect(page.querySelector('[data-testid=tasks-empty]')).toBeNull();
  });

  it('when the status says reconnect needed but the health is older, then the badge still says so', async () => {
    await answerList([
      makeTask({ sfdc: makeConnection({ status: 'reconnect_needed', health: makeHealth() }) }),
    ]);

    expect(rows()[0].querySelector('.slds-badge')?.textContent?.trim()).toBe('Reconnect needed');
  });

  it('when there are no tasks, then it shows the empty state and no table', async () => {
    await answerList([]);

    expect(page.querySelector('[data-testid=tasks-empty]')?.textContent).toContain('No tasks yet');
    expect(page.querySelector('table')).toBeNull();
  });

  it('when the list fails, then it shows the server message and can retry', async () => {
    await fixture.whenStable();
    httpMock
      .expectOne('/api/tasks')
      .flush(
        { error: { code: 'internal_error', message: 'The database is not answering.' } },
        { status: 500, statusText: 'Internal Server Error' },
      );
    await settle();

    expect(page.querySelector('slds-alert[role=alert]')?.textContent).toContain(
      'The database is not answering.',
    );

    const retry = Array.from(page.querySelectorAll('button')).find((b) =>
      b.textContent?.includes('Try again'),
    )!;
    retry.click();
    await answerList([makeTask({ name: 'Back again' })]);
    expect(page.querySelector('slds-alert')).toBeNull();
    expect(rows()).toHaveLength(1);
  });

  it('when a task is created, then it POSTs it and shows the new row first', async () => {
    await answerList([makeTask({ name: 'Older' })]);
    type('task-create-name', 'Sync accounts');
    type('task-create-description', 'Nightly pull');

    await submitCreateForm();

    const req = httpMock.expectOne('/api/tasks');
    expect(req.request.method).toBe('POST');
    expect(req.request.body).toEqual({ name: 'Sync accounts', description: 'Nightly pull' });
    req.flush(
      { task: makeTask({ name: 'Sync accounts', description: 'Nightly pull' }) },
      { status: 201, statusText: 'Created' },
    );
    await settle();

    expect(rows().map((row) => row.querySelector('th')?.textContent?.trim())).toEqual([
      'Sync accounts',
      'Older',
    ]);
    expect(rows()[0].querySelector('.slds-badge')?.textContent?.trim()).toBe('Not connected');
    expect(page.querySelector<HTMLInputElement>('#task-create-name')!.value).toBe('');
    expect(
      TestBed.inject(ToastStore)
        .toasts()
        .map((t) => t.message),
    ).toEqual(['Task "Sync accounts" created.']);
  });

  it('when the description is left empty, then it is not sent', async () => {
    await answerList([]);
    type('task-create-name', 'No details');

    await submitCreateForm();

    const req = httpMock.expectOne({ method: 'POST', url: '/api/tasks' });
    expect(req.request.body).toEqual({ name: 'No details' });
    req.flush({ task: makeTask({ name: 'No details' }) }, { status: 201, statusText: 'Created' });
    await settle();
    expect(page.querySelector('[data-testid=tasks-empty]')).toBeNull();
    expect(rows()).toHaveLength(1);
  });

  it('when the name is missing, then it shows the message and sends nothing', async () => {
    await answerList([]);
    type('task-create-name', '   ');

    await submitCreateForm();

    expect(page.querySelector('#task-create-name-error')?.textContent?.trim()).toBe(
      'Enter a name for the task.',
    );
    httpMock.expectNone({ method: 'POST', url: '/api/tasks' });
  });

  it('when creating fails, then it shows the server message and keeps the input', async () => {
    await answerList([]);
    type('task-create-name', 'Too long?');

    await submitCreateForm();
    httpMock
      .expectOne({ method: 'POST', url: '/api/tasks' })
      .flush(
        { error: { code: 'invalid_request', message: 'name must be at most 200 characters' } },
        { status: 400, statusText: 'Bad Request' },
      );
    await settle();

    const form = page.querySelector('app-task-create-form')!;
    expect(form.querySelector('slds-alert[role=alert]')?.textContent).toContain(
      'name must be at most 200 characters',
    );
    expect(form.querySelector<HTMLInputElement>('#task-create-name')!.value).toBe('Too long?');
    expect(page.querySelector('[data-testid=tasks-empty]')).not.toBeNull();
  });

  it('when a task is listed, then its name links to its page', async () => {
    await answerList([makeTask({ id: 'abc-123', name: 'Linked page' })]);

    const link = rows()[0].querySelector<HTMLAnchorElement>('th a')!;
    expect(link.textContent?.trim()).toBe('Linked page');
    expect(link.getAttribute('href')).toBe('/tasks/abc-123');
  });

  it('when Delete is confirmed, then it DELETEs the task, drops the row and shows the empty state', async () => {
    await answerList([makeTask({ id: 't1', name: 'Doomed' })]);

    const deleteButton = page.querySelector<HTMLButtonElement>('button[title="Delete Doomed"]')!;
    expect(deleteButton.textContent?.trim()).toBe('Delete Doomed'); // assistive text
    deleteButton.click();
    await settle();
    const dialog = page.querySelector('[role=dialog]')!;
    expect(dialog.textContent).toContain('Delete task?');
    expect(dialog.textContent).toContain('Doomed');
    httpMock.expectNone('/api/tasks/t1');

    dialog.querySelector<HTMLButtonElement>('.slds-button_destructive')!.click();
    await settle();
    const req = httpMock.expectOne('/api/tasks/t1');
    expect(req.request.method).toBe('DELETE');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle();

    expect(page.querySelector('[role=dialog]')).toBeNull();
    expect(rows()).toHaveLength(0);
    expect(page.querySelector('[data-testid=tasks-empty]')).not.toBeNull();
    expect(
      TestBed.inject(ToastStore)
        .toasts()
        .map((t) => t.message),
    ).toEqual(['Task "Doomed" deleted.']);
  });

  it('when the delete modal is dismissed with Escape, then nothing is deleted', async () => {
    await answerList([makeTask({ id: 't1', name: 'Kept' })]);
    page.querySelector<HTMLButtonElement>('button[title="Delete Kept"]')!.click();
    await settle();

    document.activeElement!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }),
    );
    await settle();

    expect(page.querySelector('[role=dialog]')).toBeNull();
    httpMock.expectNone('/api/tasks/t1');
    expect(rows()).toHaveLength(1);
  });

  it('when deleting fails, then the modal stays open with the server message', async () => {
    await answerList([makeTask({ id: 't1', name: 'Stubborn' })]);
    page.querySelector<HTMLButtonElement>('button[title="Delete Stubborn"]')!.click();
    await settle();
    page.querySelector<HTMLButtonElement>('[role=dialog] .slds-button_destructive')!.click();
    await settle();

    httpMock
      .expectOne('/api/tasks/t1')
      .flush(
        { error: { code: 'task_not_found', message: 'Task not found' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();

    expect(page.querySelector('[role=dialog] slds-alert')?.textContent).toContain('Task not found');
    expect(rows()).toHaveLength(1);
  });

  it('when sent back with ?sfdc=error&code=invalid_state, then an error toast explains it and the query is removed', async () => {
    await answerList([]);
    fixture.destroy();
    const router = TestBed.inject(Router);
    router.resetConfig([{ path: 'tasks', component: TaskList }]);
    const harness = await RouterTestingHarness.create();

    await harness.navigateByUrl('/tasks?sfdc=error&code=invalid_state', TaskList);
    httpMock.expectOne('/api/tasks').flush({ tasks: [] });
    await harness.fixture.whenStable();

    expect(
      TestBed.inject(ToastStore)
        .toasts()
        .map((t) => [t.variant, t.message]),
    ).toEqual([['error', 'The sign-in link expired or was already used; try again.']]);
    expect(router.url).toBe('/tasks');
  });

  describe('paging and search', () => {
    const names = () => rows().map((row) => row.querySelector('th')?.textContent?.trim());
    const loadMoreButton = () =>
      Array.from(page.querySelectorAll<HTMLButtonElement>('button')).find(
        (b) => b.textContent?.trim() === 'Load more',
      );
    /** Types into the search box: the debounce's timer, then the request's effect, each take a turn. */
    async function search(...keystrokes: string[]): Promise<void> {
      for (const text of keystrokes) type('task-search', text);
      await settle();
      await settle();
    }
    async function answer(url: string, tasks: Task[], nextCursor: string | null): Promise<void> {
      httpMock.expectOne(url).flush({ tasks, next_cursor: nextCursor });
      await settle();
    }

    it('when more Tasks exist than one page, then Load more asks for the next with the cursor and appends it, until the last', async () => {
      await fixture.whenStable();
      await answer('/api/tasks', [makeTask({ name: 'Newest' })], 'cursor-1');

      loadMoreButton()!.click();
      await settle();
      await answer('/api/tasks?cursor=cursor-1', [makeTask({ name: 'Older' })], 'cursor-2');
      loadMoreButton()!.click();
      await settle();
      await answer('/api/tasks?cursor=cursor-2', [makeTask({ name: 'Oldest' })], null);

      expect(names()).toEqual(['Newest', 'Older', 'Oldest']);
      expect(loadMoreButton()).toBeUndefined();
    });

    it('when loading more fails, then the message shows under the rows, which stay', async () => {
      await fixture.whenStable();
      await answer('/api/tasks', [makeTask({ name: 'Kept' })], 'cursor-1');

      loadMoreButton()!.click();
      await settle();
      httpMock
        .expectOne('/api/tasks?cursor=cursor-1')
        .flush(
          { error: { code: 'internal_error', message: 'The database is not answering.' } },
          { status: 500, statusText: 'Internal Server Error' },
        );
      await settle();

      expect(names()).toEqual(['Kept']);
      expect(page.querySelector('slds-alert')?.textContent).toContain(
        'The database is not answering.',
      );
      expect(loadMoreButton()).toBeDefined();
    });

    it('when a search is typed, then one request asks the server with q, trimmed, and the rows become the matches', async () => {
      await answerList([makeTask({ name: 'Contact export' }), makeTask({ name: 'Nightly sync' })]);
      const box = page.querySelector<HTMLInputElement>('#task-search')!;
      expect(box.type).toBe('search');
      expect(page.querySelector('label[for=task-search]')?.textContent?.trim()).toBe(
        'Search tasks',
      );
      expect(page.querySelector('.slds-input-has-icon_left use')?.getAttribute('href')).toContain(
        '#search',
      );

      await search('s', 'sy', 'syn', 'sync ');
      await answer('/api/tasks?q=sync', [makeTask({ name: 'Nightly sync' })], 'cursor-q');

      expect(names()).toEqual(['Nightly sync']);
      loadMoreButton()!.click();
      await settle();
      await answer('/api/tasks?q=sync&cursor=cursor-q', [makeTask({ name: 'Weekly sync' })], null);
      expect(names()).toEqual(['Nightly sync', 'Weekly sync']);
    });

    it('when the search holds + or &, then they reach the server as typed, percent-encoded', async () => {
      await answerList([]);

      await search('C++ & co');

      await answer('/api/tasks?q=C%2B%2B%20%26%20co', [], null);
    });

    it('when nothing matches, then it says so; clearing the search lists every Task again', async () => {
      await answerList([makeTask({ name: 'Contact export' })]);

      await search('zzz');
      await answer('/api/tasks?q=zzz', [], null);
      expect(page.querySelector('[data-testid=tasks-search-empty]')?.textContent).toContain(
        'No tasks match "zzz"',
      );
      expect(page.querySelector('[data-testid=tasks-empty]')).toBeNull();

      await search('');
      await answer('/api/tasks', [makeTask({ name: 'Contact export' })], null);
      expect(names()).toEqual(['Contact export']);
    });

    it('when a Task is created while searching, then it is listed only if its name matches', async () => {
      await answerList([]);
      await search('sync');
      await answer('/api/tasks?q=sync', [], null);

      for (const name of ['Contact export', 'Hourly SYNC']) {
        type('task-create-name', name);
        await submitCreateForm();
        httpMock
          .expectOne({ method: 'POST', url: '/api/tasks' })
          .flush({ task: makeTask({ name }) }, { status: 201, statusText: 'Created' });
        await settle();
      }

      expect(names()).toEqual(['Hourly SYNC']);
    });
  });

  describe('the Needs attention filter', () => {
    const ATTENTION_URL = '/api/tasks?health=degraded,reconnect_needed';
    let harness: RouterTestingHarness;
    let router: Router;

    beforeEach(async () => {
      fixture.destroy(); // never rendered, so it asked for nothing: the harness renders instead
      router = TestBed.inject(Router);
      router.resetConfig([{ path: 'tasks', component: TaskList }]);
      harness = await RouterTestingHarness.create();
    });

    const view = () => harness.routeNativeElement!;
    const listRows = () => Array.from(view().querySelectorAll('table tbody tr'));
    const option = (label: string) => {
      const text = Array.from(view().querySelectorAll('.slds-radio_button label')).find(
        (l) => l.textContent?.trim() === label,
      )!;
      return view().querySelector<HTMLInputElement>(`#${text.getAttribute('for')}`)!;
    };
    async function settleHarness(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve));
      await harness.fixture.whenStable();
    }
    async function open(url: string, expected: string, tasks: Task[]): Promise<void> {
      await harness.navigateByUrl(url, TaskList);
      httpMock.expectOne(expected).flush({ tasks });
      await settleHarness();
    }
    const revoked = makeTask({
      name: 'Revoked',
      sfdc: makeConnection({
        status: 'reconnect_needed',
        health: makeHealth({ state: 'reconnect_needed' }),
      }),
    });

    it('when opened with ?attention=1, then the server is asked for degraded and reconnect-needed Tasks only', async () => {
      await open('/tasks?attention=1', ATTENTION_URL, [revoked]);

      expect(option('Needs attention').checked).toBe(true);
      expect(option('All').checked).toBe(false);
      expect(view().querySelector('fieldset legend')?.textContent?.trim()).toBe('Show');
      expect(listRows()).toHaveLength(1);
      expect(listRows()[0].querySelector('.slds-badge')?.textContent?.trim()).toBe(
        'Reconnect needed',
      );
    });

    it('when Needs attention is chosen, then the URL keeps it and the filtered list loads; All brings every Task back', async () => {
      await open('/tasks', '/api/tasks', [makeTask(), revoked]);
      expect(option('All').checked).toBe(true);

      option('Needs attention').click();
      await settleHarness();
      expect(router.url).toBe('/tasks?attention=1');
      httpMock.expectOne(ATTENTION_URL).flush({ tasks: [revoked] });
      await settleHarness();
      expect(listRows()).toHaveLength(1);

      option('All').click();
      await settleHarness();
      expect(router.url).toBe('/tasks');
      httpMock.expectOne('/api/tasks').flush({ tasks: [makeTask(), revoked] });
      await settleHarness();
      expect(listRows()).toHaveLength(2);
    });

    it('when opened with ?q=, then the box shows the search and the first request already asks with it', async () => {
      await open('/tasks?q=sync', '/api/tasks?q=sync', [makeTask({ name: 'Nightly sync' })]);

      expect(view().querySelector<HTMLInputElement>('#task-search')!.value).toBe('sync');
      expect(listRows()).toHaveLength(1);
      httpMock.verify(); // no second request without the search
    });

    it('when a search is typed, then the URL keeps it, and clearing it removes it', async () => {
      await open('/tasks', '/api/tasks', [makeTask(), revoked]);
      const box = view().querySelector<HTMLInputElement>('#task-search')!;

      box.value = 'revoked';
      box.dispatchEvent(new Event('input'));
      await settleHarness();
      await settleHarness();
      httpMock.expectOne('/api/tasks?q=revoked').flush({ tasks: [revoked] });
      await settleHarness();
      expect(router.url).toBe('/tasks?q=revoked');

      box.value = '';
      box.dispatchEvent(new Event('input'));
      await settleHarness();
      await settleHarness();
      httpMock.expectOne('/api/tasks').flush({ tasks: [makeTask(), revoked] });
      await settleHarness();
      expect(router.url).toBe('/tasks');
      expect(listRows()).toHaveLength(2);
    });

    it('when nothing needs attention, then it says so, and Show all tasks clears the filter', async () => {
      await open('/tasks?attention=1', ATTENTION_URL, []);

      const empty = view().querySelector('[data-testid=tasks-attention-empty]')!;
      expect(empty.textContent).toContain('Nothing needs attention');
      expect(view().querySelector('[data-testid=tasks-empty]')).toBeNull();
      expect(view().querySelector('table')).toBeNull();

      empty.querySelector('button')!.click();
      await settleHarness();
      expect(router.url).toBe('/tasks');
      httpMock.expectOne('/api/tasks').flush({ tasks: [] });
      await settleHarness();
      expect(view().querySelector('[data-testid=tasks-empty]')?.textContent).toContain(
        'No tasks yet',
      );
    });

    it('when a Task is created while filtered, then it is not listed: a new Task needs no attention', async () => {
      await open('/tasks?attention=1', ATTENTION_URL, []);
      const name = view().querySelector<HTMLInputElement>('#task-create-name')!;
      name.value = 'Fresh';
      name.dispatchEvent(new Event('input'));
      view().querySelector<HTMLButtonElement>('app-task-create-form button[type=submit]')!.click();
      await settleHarness();

      httpMock
        .expectOne({ method: 'POST', url: '/api/tasks' })
        .flush({ task: makeTask({ name: 'Fresh' }) }, { status: 201, statusText: 'Created' });
      await settleHarness();

      expect(listRows()).toHaveLength(0);
      expect(view().querySelector('[data-testid=tasks-attention-empty]')).not.toBeNull();
      expect(
        TestBed.inject(ToastStore)
          .toasts()
          .map((t) => t.message),
      ).toEqual(['Task "Fresh" created.']);
    });

    it('when back from Salesforce with an error while filtered, then only the OAuth query is removed', async () => {
      await open('/tasks?attention=1&sfdc=error&code=invalid_state', ATTENTION_URL, []);

      expect(router.url).toBe('/tasks?attention=1');
      expect(
        TestBed.inject(ToastStore)
          .toasts()
          .map((t) => t.variant),
      ).toEqual(['error']);
    });
  });
});
