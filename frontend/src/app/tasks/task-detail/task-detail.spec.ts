import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import type { Task } from '@contract';

import { makeConnection, makeEvent, makeTask } from '../../../testing/task-fixtures';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { ToastStore } from '../../core/toasts/toast-store';
import { TaskDetail } from './task-detail';

describe('TaskDetail', () => {
  let harness: RouterTestingHarness;
  let httpMock: HttpTestingController;
  let router: Router;

  const TASK = makeTask({ id: 't1', name: 'Sync accounts', description: 'Nightly pull' });

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [{ path: 'tasks/:taskId', component: TaskDetail }],
          withComponentInputBinding(),
        ),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    router = TestBed.inject(Router);
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => httpMock.verify());

  const page = () => harness.routeNativeElement!;
  const toasts = () => TestBed.inject(ToastStore).toasts();
  const button = (text: string) =>
    Array.from(page().querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === text,
    );

  async function settle(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve));
    await harness.fixture.whenStable();
  }

  /** Opens `url`, answering the page's GETs: the Task, then the card's config and the history. */
  async function open(url: string, task: Task = TASK): Promise<void> {
    await harness.navigateByUrl(url, TaskDetail);
    httpMock.expectOne('/api/tasks/t1').flush({ task });
    await settle();
    httpMock.expectOne('/api/config').flush({ salesforce: { uses_emulator: false } });
    httpMock.expectOne('/api/tasks/t1/sfdc/events?limit=20').flush({ events: [makeEvent()] });
    await settle();
  }

  it('when opened, then it shows the Task as a record page with its Salesforce card and history', async () => {
    await open('/tasks/t1');

    expect(page().querySelector('.slds-page-header__title')?.textContent?.trim()).toBe(
      'Sync accounts',
    );
    expect(page().querySelector('[data-testid=task-details]')?.textContent).toContain(
      'Nightly pull',
    );
    expect(page().querySelector('app-salesforce-connection-card')?.textContent).toContain(
      'not connected to Salesforce',
    );
    expect(page().querySelector('.slds-timeline')?.textContent).toContain('Access token refreshed');
    expect(toasts()).toHaveLength(0);
  });

  it('when the name is edited, then it PATCHes only the name and shows the saved Task', async () => {
    await open('/tasks/t1');

    button('Edit')!.click();
    await settle();
    const name = page().querySelector<HTMLInputElement>('#task-edit-name')!;
    expect(name.value).toBe('Sync accounts');
    expect(document.activeElement).toBe(name);
    name.value = '  Sync contacts ';
    name.dispatchEvent(new Event('input'));
    button('Save')!.click();
    await settle();

    const req = httpMock.expectOne('/api/tasks/t1');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ name: 'Sync contacts' });
    req.flush({ task: { ...TASK, name: 'Sync contacts' } });
    await settle();

    expect(page().querySelector('.slds-page-header__title')?.textContent?.trim()).toBe(
      'Sync contacts',
    );
    expect(page().querySelector('#task-edit-name')).toBeNull();
    expect(toasts().map((t) => t.message)).toEqual(['Task saved.']);
  });

  it('when the description is cleared, then it sends an empty description', async () => {
    await open('/tasks/t1');
    button('Edit')!.click();
    await settle();

    const description = page().querySelector<HTMLTextAreaElement>('#task-edit-description')!;
    description.value = '';
    description.dispatchEvent(new Event('input'));
    button('Save')!.click();
    await settle();

    const req = httpMock.expectOne({ method: 'PATCH', url: '/api/tasks/t1' });
    expect(req.request.body).toEqual({ description: '' });
    req.flush({ task: { ...TASK, description: '' } });
    await settle();
    expect(page().querySelector('[data-testid=task-details]')?.textContent).toContain(
      'No description',
    );
  });

  it('when saving fails or the name is empty, then it says why and stays in edit mode', async () => {
    await open('/tasks/t1');
    button('Edit')!.click();
    await settle();
    const name = page().querySelector<HTMLInputElement>('#task-edit-name')!;
    name.value = ' ';
    name.dispatchEvent(new Event('input'));
    button('Save')!.click();
    await settle();
    expect(page().querySelector('#task-edit-name-error')?.textContent?.trim()).toBe(
      'Enter a name for the task.',
    );
    httpMock.expectNone({ method: 'PATCH', url: '/api/tasks/t1' });

    name.value = 'Renamed';
    name.dispatchEvent(new Event('input'));
    button('Save')!.click();
    await settle();
    httpMock
      .expectOne({ method: 'PATCH', url: '/api/tasks/t1' })
      .flush(
        { error: { code: 'task_not_found', message: 'Task not found' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();

    expect(page().querySelector('app-task-edit-form slds-alert')?.textContent).toContain(
      'Task not found',
    );
    expect(page().querySelector<HTMLInputElement>('#task-edit-name')!.value).toBe('Renamed');
  });

  it('when Cancel is clicked, then nothing is sent and the details come back', async () => {
    await open('/tasks/t1');
    button('Edit')!.click();
    await settle();

    button('Cancel')!.click();
    await settle();

    expect(page().querySelector('#task-edit-name')).toBeNull();
    expect(document.activeElement?.textContent?.trim()).toBe('Edit');
  });

  it('when back from Salesforce with ?sfdc=connected, then a success toast shows and the query is removed', async () => {
    await open('/tasks/t1?sfdc=connected', { ...TASK, sfdc: makeConnection() });

    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['success', 'Connected to Salesforce'],
    ]);
    expect(router.url).toBe('/tasks/t1');
    expect(page().querySelector('[data-testid=connection-details]')?.textContent).toContain(
      'ada@acme.com',
    );
  });

  it('when back with ?evicted=…, then a warning names each evicted Task, "another Task" for one it cannot read', async () => {
    await open('/tasks/t1?sfdc=connected&evicted=t2,t3&evicted_others=1', {
      ...TASK,
      sfdc: makeConnection(),
    });
    expect(router.url).toBe('/tasks/t1');

    httpMock
      .expectOne('/api/tasks/t2')
      .flush({ task: makeTask({ id: 't2', name: 'Quarterly sync' }) });
    httpMock
      .expectOne('/api/tasks/t3')
      .flush(
        { error: { code: 'task_not_found', message: 'Task not found' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();

    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['success', 'Connected to Salesforce'],
      [
        'warning',
        "Connecting this Task disconnected 'Quarterly sync', another Task, and 1 other connection of this Salesforce user, because Salesforce allows five connections per user for this app.",
      ],
    ]);
  });

  it('when back with only ?evicted_others=2, then the warning counts them without asking for any Task', async () => {
    await open('/tasks/t1?sfdc=connected&evicted_others=2', { ...TASK, sfdc: makeConnection() });
    await settle();

    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['success', 'Connected to Salesforce'],
      [
        'warning',
        'Connecting this Task disconnected 2 other connections of this Salesforce user, because Salesforce allows five connections per user for this app.',
      ],
    ]);
    httpMock.expectNone((req) => req.url.startsWith('/api/tasks/') && req.url !== '/api/tasks/t1');
    expect(router.url).toBe('/tasks/t1');
  });

  it('when a hand-made link names many Tasks, then only five are looked up and the rest counted', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    await open(`/tasks/t1?sfdc=connected&evicted=${ids.join(',')},a`, TASK);

    for (const id of ids.slice(0, 5)) {
      httpMock
        .expectOne(`/api/tasks/${id}`)
        .flush({ task: makeTask({ id, name: id.toUpperCase() }) });
    }
    await settle();

    expect(toasts()[1].message).toBe(
      "Connecting this Task disconnected 'A', 'B', 'C', 'D', 'E', and 2 other Tasks, because Salesforce allows five connections per user for this app.",
    );
  });

  it.each([
    ['access_denied', 'You denied access on the Salesforce page.'],
    ['invalid_state', 'The sign-in link expired or was already used; try again.'],
    ['token_exchange_failed', 'Salesforce connection failed (token_exchange_failed).'],
  ])(
    'when back with ?sfdc=error&code=%s, then an error toast explains it and the query is removed',
    async (code, message) => {
      await open(`/tasks/t1?sfdc=error&code=${code}`);

      expect(toasts().map((t) => [t.variant, t.message])).toEqual([['error', message]]);
      expect(router.url).toBe('/tasks/t1');
    },
  );

  it('when the Task does not exist, then it shows the server message and a way back', async () => {
    await harness.navigateByUrl('/tasks/t1', TaskDetail);
    httpMock
      .expectOne('/api/tasks/t1')
      .flush(
        { error: { code: 'task_not_found', message: 'Task not found' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle();

    expect(page().querySelector('slds-alert')?.textContent).toContain('Task not found');
    expect(page().querySelector('app-salesforce-connection-card')).toBeNull();
    expect(button('Try again')).toBeDefined();
  });
});
