import { formatDate } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { settle } from '../../../testing/settle';
import { makeEvent } from '../../../testing/task-fixtures';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { ConnectionHistory } from './connection-history';

describe('ConnectionHistory', () => {
  let fixture: ComponentFixture<ConnectionHistory>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ConnectionHistory);
    page = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('taskId', 't1');
    await fixture.whenStable();
  });

  afterEach(() => httpMock.verify());

  const items = () => Array.from(page.querySelectorAll<HTMLElement>('ul.slds-timeline > li'));

  it('when events exist, then it shows one timeline item each, newest first, with text, icon and date', async () => {
    const at = '2026-03-04T05:06:07.000Z';
    httpMock.expectOne('/api/tasks/t1/sfdc/events?limit=20').flush({
      events: [
        makeEvent({ kind: 'tested', at, detail: { status: true, refreshed: true } }),
        makeEvent({ kind: 'connected', detail: { username: 'ada@acme.com' } }),
      ],
    });
    await settle(fixture);

    const [tested, connected] = items();
    expect(items()).toHaveLength(2);
    expect(tested.querySelector('h3')?.textContent?.trim()).toBe(
      'Connection tested: OK (token refreshed)',
    );
    expect(tested.querySelector('.slds-timeline__item_task')).not.toBeNull();
    expect(tested.querySelector('use')?.getAttribute('href')).toBe(
      '/assets/icons/standard-sprite/svg/symbols.svg#task',
    );
    const time = tested.querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe(at);
    expect(time.textContent?.trim()).toBe(formatDate(at, 'medium', 'en-US'));
    expect(connected.querySelector('h3')?.textContent?.trim()).toBe('Connected as ada@acme.com');
  });

  it('when entries went wrong, then they show the error or warning icon and colour; the rest keep theirs', async () => {
    httpMock.expectOne('/api/tasks/t1/sfdc/events?limit=20').flush({
      events: [
        makeEvent({
          kind: 'evicted',
          detail: { reason: 'Salesforce revoked this connection.', by_task_id: 't9' },
        }),
        makeEvent({ kind: 'health_degraded', detail: { reason: 'Salesforce is slow.' } }),
        makeEvent({ kind: 'tested', detail: { status: false, message: 'Salesforce is down' } }),
        makeEvent({ kind: 'health_recovered' }),
      ],
    });
    await settle(fixture);

    const [evicted, degraded, failedTest, recovered] = items();
    const look = (item: HTMLElement) => ({
      icon: item.querySelector('use')?.getAttribute('href'),
      iconColour: item.querySelector('svg')?.classList.contains('slds-icon-text-error')
        ? 'error'
        : item.querySelector('svg')?.classList.contains('slds-icon-text-warning')
          ? 'warning'
          : 'none',
      line: Array.from(item.querySelector('.slds-timeline__item_expandable')!.classList).find(
        (c) => c !== 'slds-timeline__item_expandable',
      ),
      redHeading: item.querySelector('h3')!.classList.contains('slds-text-color_error'),
    });
    const utility = '/assets/icons/utility-sprite/svg/symbols.svg';

    expect(evicted.querySelector('h3')?.textContent?.trim()).toBe(
      'Salesforce revoked this connection.',
    );
    expect(look(evicted)).toEqual({
      icon: `${utility}#error`,
      iconColour: 'error',
      line: 'app-timeline_error',
      redHeading: true,
    });
    expect(look(failedTest)).toEqual(look(evicted));
    expect(look(degraded)).toEqual({
      icon: `${utility}#warning`,
      iconColour: 'warning',
      line: 'app-timeline_warning',
      redHeading: false,
    });
    expect(degraded.querySelector('h3')?.textContent?.trim()).toBe(
      'Connection degraded: Salesforce is slow.',
    );
    expect(recovered.querySelector('h3')?.textContent?.trim()).toBe('Connection healthy again');
    expect(look(recovered)).toEqual({
      icon: '/assets/icons/standard-sprite/svg/symbols.svg#approval',
      iconColour: 'none',
      line: 'slds-timeline__item_task',
      redHeading: false,
    });
    const link = evicted.querySelector<HTMLAnchorElement>('a')!;
    expect(link.textContent?.trim()).toBe('Open the Task that connected');
    expect(link.getAttribute('href')).toBe('/tasks/t9');
    expect(recovered.querySelector('a')).toBeNull();
  });

  it('when there are no events, then it says nothing has happened yet', async () => {
    httpMock.expectOne('/api/tasks/t1/sfdc/events?limit=20').flush({ events: [] });
    await settle(fixture);

    expect(page.querySelector('[data-testid=connection-history-empty]')).not.toBeNull();
    expect(items()).toHaveLength(0);
  });

  it('when loading fails, then it shows the message, and Try again loads again', async () => {
    httpMock
      .expectOne('/api/tasks/t1/sfdc/events?limit=20')
      .flush(
        { error: { code: 'task_not_found', message: 'Task not found' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle(fixture);
    expect(page.querySelector('slds-alert')?.textContent).toContain('Task not found');

    page.querySelector<HTMLButtonElement>('button')!.click();
    httpMock.expectOne('/api/tasks/t1/sfdc/events?limit=20').flush({ events: [makeEvent()] });
    await settle(fixture);

    expect(page.querySelector('slds-alert')).toBeNull();
    expect(items()[0].textContent).toContain('Access token refreshed');
  });

  it('when reload() is called, then it fetches the history again', async () => {
    httpMock.expectOne('/api/tasks/t1/sfdc/events?limit=20').flush({ events: [] });
    await settle(fixture);

    const reloading = fixture.componentInstance.reload();
    httpMock
      .expectOne('/api/tasks/t1/sfdc/events?limit=20')
      .flush({ events: [makeEvent({ kind: 'disconnected' })] });
    await reloading;
    await fixture.whenStable();

    expect(items()[0].querySelector('h3')?.textContent?.trim()).toBe('Disconnected');
  });

  describe('older entries', () => {
    const URL = '/api/tasks/t1/sfdc/events?limit=20';
    const showOlder = () =>
      Array.from(page.querySelectorAll<HTMLButtonElement>('button')).find(
        (b) => b.textContent?.trim() === 'Show older',
      );
    const headings = () => items().map((item) => item.querySelector('h3')?.textContent?.trim());
    const newest = makeEvent({ id: '30', kind: 'disconnected' });
    const middle = makeEvent({ id: '20', kind: 'connected', detail: { username: 'ada@acme.com' } });
    const oldest = makeEvent({ id: '10', kind: 'refreshed' });

    it('when the history is longer than a page, then Show older appends the next page, until the oldest', async () => {
      httpMock.expectOne(URL).flush({ events: [newest], next_cursor: 'c1' });
      await settle(fixture);
      expect(showOlder()).toBeDefined();

      showOlder()!.click();
      await settle(fixture);
      httpMock.expectOne(`${URL}&cursor=c1`).flush({ events: [middle, oldest], next_cursor: null });
      await settle(fixture);

      expect(headings()).toEqual([
        'Disconnected',
        'Connected as ada@acme.com',
        'Access token refreshed',
      ]);
      expect(showOlder()).toBeUndefined();
    });

    it('when reload() follows a new entry, then the newest page is read again and the older entries shown stay', async () => {
      httpMock.expectOne(URL).flush({ events: [middle], next_cursor: 'c1' });
      await settle(fixture);
      showOlder()!.click();
      await settle(fixture);
      httpMock.expectOne(`${URL}&cursor=c1`).flush({ events: [oldest], next_cursor: null });
      await settle(fixture);

      const reloading = fixture.componentInstance.reload();
      httpMock.expectOne(URL).flush({ events: [newest, middle], next_cursor: 'c2' });
      await reloading;
      await settle(fixture);

      expect(headings()).toEqual([
        'Disconnected',
        'Connected as ada@acme.com',
        'Access token refreshed',
      ]);
      expect(showOlder()).toBeUndefined();
    });
  });
});
