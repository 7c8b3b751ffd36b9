import { formatDate } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { WebhookDelivery } from '@contract';

import { settle } from '../../../testing/settle';
import { makeDelivery } from '../../../testing/webhook-fixtures';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { Clock } from '../../core/time/clock';
import { ToastStore } from '../../core/toasts/toast-store';
import { WebhookDeliveries } from './webhook-deliveries';

const NOW = Date.parse('2026-01-05T10:10:00.000Z');
const LIST_URL = '/api/webhooks/w1/deliveries';

describe('WebhookDeliveries', () => {
  let fixture: ComponentFixture<WebhookDeliveries>;
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

  afterEach(() => {
    httpMock.verify();
    vi.useRealTimers();
  });

  function create(): void {
    fixture = TestBed.createComponent(WebhookDeliveries);
    fixture.componentRef.setInput('webhookId', 'w1');
    fixture.componentRef.setInput('url', 'https://hooks.example.com/in');
    page = fixture.nativeElement as HTMLElement;
  }

  async function render(deliveries: WebhookDelivery[]): Promise<void> {
    create();
    await fixture.whenStable();
    httpMock.expectOne({ method: 'GET', url: LIST_URL }).flush({ deliveries });
    await settle(fixture);
  }

  const rows = () =>
    Array.from(page.querySelectorAll<HTMLTableRowElement>('tbody tr[data-delivery-id]'));
  const cells = (row: HTMLTableRowElement) =>
    Array.from(row.querySelectorAll('td')).map((td) =>
      td.textContent!.replace(/[\t\n ]+/g, ' ').trim(),
    );
  const buttonIn = (root: ParentNode, text: string) =>
    Array.from(root.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === text,
    );
  const toasts = () => TestBed.inject(ToastStore).toasts();

  it('when deliveries exist, then each row shows time, event, status badge, attempts, response and next attempt', async () => {
    await render([
      makeDelivery({ id: 'd1', type: 'webhook.test', status: 'succeeded', last_status_code: 204 }),
      makeDelivery({
        id: 'd2',
        type: 'connection.degraded',
        status: 'pending',
        attempts: 2,
        last_status_code: 503,
        next_attempt_at: '2026-01-05T10:15:00.000Z',
        delivered_at: null,
      }),
      makeDelivery({
        id: 'd3',
        type: 'connection.connected',
        status: 'failed',
        attempts: 8,
        last_status_code: null,
        last_error: 'connect ECONNREFUSED 127.0.0.1:9',
        delivered_at: null,
      }),
      makeDelivery({
        id: 'd4',
        status: 'pending',
        attempts: 0,
        last_status_code: null,
        next_attempt_at: '2026-01-05T10:09:59.000Z',
      }),
    ]);

    const table = page.querySelector('table')!;
    expect(table.getAttribute('aria-label')).toBe('Deliveries to https://hooks.example.com/in');
    expect(
      Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent!.trim()),
    ).toEqual(['Time', 'Event', 'Status', 'Attempts', 'Response', 'Next attempt', 'Actions']);
    const [succeeded, pending, failed, notSent] = rows();
    expect(cells(succeeded).slice(0, 6)).toEqual([
      formatDate('2026-01-05T10:05:00.000Z', 'medium', 'en-US'),
      'webhook.test',
      'Succeeded',
      '1',
      'HTTP 204',
      'None',
    ]);
    expect(cells(pending).slice(1, 6)).toEqual([
      'connection.degraded',
      'Pending',
      '2',
      'HTTP 503',
      'in 5 minutes',
    ]);
    expect(cells(failed).slice(1, 6)).toEqual([
      'connection.connected',
      'Failed',
      '8',
      'connect ECONNREFUSED 127.0.0.1:9',
      'None',
    ]);
    expect(cells(notSent).slice(4, 6)).toEqual(['Not sent yet', 'due now']);

    const badges = rows().map((row) => row.querySelector<HTMLElement>('.slds-badge')!);
    expect(badges.map((b) => b.className.match(/slds-theme_\w+/)?.[0] ?? 'default')).toEqual([
      'slds-theme_success',
      'default',
      'slds-theme_error',
      'default',
    ]);
    const nextTime = pending.querySelectorAll('time')[1];
    expect(nextTime.getAttribute('datetime')).toBe('2026-01-05T10:15:00.000Z');
    expect(nextTime.getAttribute('title')).toBe(
      formatDate('2026-01-05T10:15:00.000Z', 'medium', 'en-US'),
    );
    expect(badges[1].getAttribute('title')).toBe(
      `Next attempt ${formatDate('2026-01-05T10:15:00.000Z', 'medium', 'en-US')}`,
    );
    expect(failed.querySelector('.slds-text-color_error')?.textContent).toContain('ECONNREFUSED');
    expect(page.querySelector('[data-testid=deliveries-polling]')).not.toBeNull();
  });

  it('when there are none, then it says so and shows no table', async () => {
    await render([]);

    expect(page.querySelector('[data-testid=deliveries-empty]')?.textContent).toContain(
      'Send test event',
    );
    expect(page.querySelector('table')).toBeNull();
    expect(page.querySelector('[data-testid=deliveries-polling]')).toBeNull();
  });

  it('when Payload is clicked, then the JSON unfolds in a row below, and folds again', async () => {
    const delivery = makeDelivery({
      id: 'd1',
      type: 'connection.disconnected',
      payload: {
        type: 'connection.disconnected',
        timestamp: '2026-01-05T10:05:00.000Z',
        data: { task_id: null, task_name: 'Nightly sync', connection: null },
      },
    });
    await render([delivery]);
    const toggle = buttonIn(rows()[0], 'Payload')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    toggle.click();
    await fixture.whenStable();

    const pre = page.querySelector<HTMLElement>('#delivery-payload-d1 pre')!;
    expect(JSON.parse(pre.textContent!)).toEqual(delivery.payload);
    expect(pre.textContent).toContain('\n  "type": "connection.disconnected"'); // indented
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-controls')).toBe('delivery-payload-d1');
    expect(toggle.textContent?.trim()).toBe('Hide payload');

    toggle.click();
    await fixture.whenStable();
    expect(page.querySelector('#delivery-payload-d1')).toBeNull();
  });

  it('when Redeliver is clicked, then it POSTs the retry and loads the list again', async () => {
    const original = makeDelivery({ id: 'd1', event_id: 'msg_1', type: 'webhook.test' });
    await render([original]);

    buttonIn(rows()[0], 'Redeliver')!.click();
    await fixture.whenStable();
    expect(buttonIn(rows()[0], 'Redeliver')!.disabled).toBe(true);
    const retry = httpMock.expectOne('/api/webhooks/w1/deliveries/d1/retry');
    expect(retry.request.method).toBe('POST');
    const again = makeDelivery({ id: 'd2', event_id: 'msg_1', status: 'pending', attempts: 0 });
    retry.flush({ delivery: again }, { status: 202, statusText: 'Accepted' });
    await settle(fixture);
    httpMock.expectOne(LIST_URL).flush({ deliveries: [again, original] });
    await settle(fixture);

    expect(rows().map((r) => r.dataset['deliveryId'])).toEqual(['d2', 'd1']);
    expect(cells(rows()[0])[2]).toBe('Pending');
    expect(buttonIn(rows()[1], 'Redeliver')!.disabled).toBe(false);
    expect(toasts().map((t) => [t.variant, t.message])).toEqual([
      ['success', 'Sending webhook.test again.'],
    ]);
  });

  it('when Redeliver fails, then an error toast gives the reason and the list stays', async () => {
    await render([makeDelivery({ id: 'd1' })]);

    buttonIn(rows()[0], 'Redeliver')!.click();
    await fixture.whenStable();
    httpMock
      .expectOne('/api/webhooks/w1/deliveries/d1/retry')
      .flush(
        { error: { code: 'webhook_not_found', message: 'Webhook not found' } },
        { status: 404, statusText: 'Not Found' },
      );
    await settle(fixture);

    expect(toasts().map((t) => [t.variant, t.message])).toEqual([['error', 'Webhook not found']]);
    expect(rows()).toHaveLength(1);
    expect(buttonIn(rows()[0], 'Redeliver')!.disabled).toBe(false);
  });

  it('when Refresh is clicked, then it loads again and shows the newest answer', async () => {
    await render([makeDelivery({ id: 'd1' })]);

    const refresh = buttonIn(page, 'Refresh')!;
    expect(refresh.getAttribute('aria-label')).toBe(
      'Refresh deliveries to https://hooks.example.com/in',
    );
    refresh.click();
    await fixture.whenStable();
    expect(refresh.disabled).toBe(true);
    httpMock.expectOne(LIST_URL).flush({ deliveries: [makeDelivery({ id: 'd2' })] });
    await settle(fixture);

    expect(rows().map((r) => r.dataset['deliveryId'])).toEqual(['d2']);
    expect(refresh.disabled).toBe(false);
  });

  it('when the page bumps the revision (a test event was sent), then it loads again', async () => {
    await render([]);

    fixture.componentRef.setInput('revision', 1);
    await fixture.whenStable();
    httpMock.expectOne(LIST_URL).flush({ deliveries: [makeDelivery({ id: 'd1' })] });
    await settle(fixture);

    expect(rows()).toHaveLength(1);
  });

  it('when the list cannot load, then it shows the message and Try again', async () => {
    create();
    await fixture.whenStable();
    httpMock
      .expectOne(LIST_URL)
      .flush(
        { error: { code: 'internal_error', message: 'Something broke.' } },
        { status: 500, statusText: 'Server Error' },
      );
    await settle(fixture);

    expect(page.querySelector('slds-alert')?.textContent).toContain('Something broke.');
    buttonIn(page, 'Try again')!.click();
    httpMock.expectOne(LIST_URL).flush({ deliveries: [makeDelivery()] });
    await settle(fixture);
    expect(rows()).toHaveLength(1);
  });

  describe('older deliveries', () => {
    const loadMore = () => buttonIn(page, 'Load more');
    const ids = () => rows().map((r) => r.dataset['deliveryId']);

    it('when there are more than a page, then Load more appends the next page, until the last', async () => {
      create();
      await fixture.whenStable();
      httpMock
        .expectOne(LIST_URL)
        .flush({ deliveries: [makeDelivery({ id: 'd3' })], next_cursor: 'c1' });
      await settle(fixture);
      expect(loadMore()!.getAttribute('aria-label')).toBe(
        'Load more deliveries to https://hooks.example.com/in',
      );

      loadMore()!.click();
      await settle(fixture);
      httpMock.expectOne(`${LIST_URL}?cursor=c1`).flush({
        deliveries: [makeDelivery({ id: 'd2' }), makeDelivery({ id: 'd1' })],
        next_cursor: null,
      });
      await settle(fixture);

      expect(ids()).toEqual(['d3', 'd2', 'd1']);
      expect(loadMore()).toBeUndefined();
    });

    it('when the newest page is read again (a poll, Refresh), then the older pages shown stay', async () => {
      create();
      await fixture.whenStable();
      httpMock
        .expectOne(LIST_URL)
        .flush({ deliveries: [makeDelivery({ id: 'd2' })], next_cursor: 'c1' });
      await settle(fixture);
      loadMore()!.click();
      await settle(fixture);
      httpMock
        .expectOne(`${LIST_URL}?cursor=c1`)
        .flush({ deliveries: [makeDelivery({ id: 'd1' })], next_cursor: null });
      await settle(fixture);

      buttonIn(page, 'Refresh')!.click();
      await fixture.whenStable();
      httpMock.expectOne(LIST_URL).flush({
        deliveries: [makeDelivery({ id: 'd3' }), makeDelivery({ id: 'd2' })],
        next_cursor: 'c2',
      });
      await settle(fixture);

      expect(ids()).toEqual(['d3', 'd2', 'd1']);
      expect(loadMore()).toBeUndefined();
    });
  });

  describe('while a delivery is pending', () => {
    // Rendered with detectChanges and the fake clock advanced by hand: whenStable would wait on
    // timers that the fake clock holds still.
    async function pass(ms: number): Promise<void> {
      await vi.advanceTimersByTimeAsync(ms);
      fixture.detectChanges();
      await vi.advanceTimersByTimeAsync(0);
    }

    beforeEach(async () => {
      vi.useFakeTimers();
      create();
      await pass(0);
      httpMock
        .expectOne(LIST_URL)
        .flush({ deliveries: [makeDelivery({ id: 'd1', status: 'pending', attempts: 0 })] });
      await pass(0);
    });

    it('then it asks again every 2 s, and stops once none is pending', async () => {
      await pass(1999);
      httpMock.expectNone(LIST_URL);
      await pass(1);
      httpMock
        .expectOne(LIST_URL)
        .flush({ deliveries: [makeDelivery({ id: 'd1', status: 'pending', attempts: 1 })] });
      await pass(0);
      expect(cells(rows()[0])[3]).toBe('1');

      await pass(2000);
      httpMock.expectOne(LIST_URL).flush({ deliveries: [makeDelivery({ id: 'd1' })] });
      await pass(0);
      expect(cells(rows()[0])[2]).toBe('Succeeded');
      expect(page.querySelector('[data-testid=deliveries-polling]')).toBeNull();

      await pass(60_000);
      httpMock.expectNone(LIST_URL);
    });

    it('then it stops asking when the table leaves the page', async () => {
      fixture.destroy();

      await pass(60_000);
      httpMock.expectNone(LIST_URL);
    });
  });
});
