import { formatDate } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Webhook } from '@contract';

import { settle } from '../../../testing/settle';
import {
  ALL_CONNECTION_EVENTS,
  makeDelivery,
  makeWebhook,
} from '../../../testing/webhook-fixtures';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { BrowserClipboard } from '../../core/browser/browser-clipboard';
import { ToastStore } from '../../core/toasts/toast-store';
import { WebhookList } from './webhook-list';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const URL_A = 'https://hooks.example.com/salesforce';

describe('WebhookList', () => {
  let fixture: ComponentFixture<WebhookList>;
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

  async function render(webhooks: Webhook[]): Promise<void> {
    fixture = TestBed.createComponent(WebhookList);
    page = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    httpMock.expectOne({ method: 'GET', url: '/api/webhooks' }).flush({ webhooks });
    await settle(fixture);
  }

  const rows = () =>
    Array.from(page.querySelectorAll<HTMLTableRowElement>('tbody tr[data-webhook-id]'));
  const row = (id: string) =>
    page.querySelector<HTMLTableRowElement>(`tr[data-webhook-id="${id}"]`)!;
  const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();
  const toasts = () => TestBed.inject(ToastStore).toasts();
  const buttonIn = (root: ParentNode, label: string) =>
    Array.from(root.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === label || b.getAttribute('title') === label,
    );
  const eventBoxes = () =>
    Array.from(page.querySelectorAll<HTMLInputElement>('slds-checkbox-group input[type=checkbox]'));
  const switchOf = (id: string) =>
    row(id).querySelector<HTMLInputElement>('slds-checkbox-toggle input[type=checkbox]')!;
  /** The accessible name of a labelled control: the text of the label around it. */
  const nameOf = (input: HTMLInputElement) =>
    text(input.closest('label')?.querySelector('.slds-form-element__label'));

  function type(selector: string, value: string): void {
    const input = page.querySelector<HTMLInputElement>(selector)!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
  }

  function untick(eventType: string): void {
    const box = eventBoxes().find((b) => b.value === eventType)!;
    box.click();
  }

  async function submit(): Promise<void> {
    buttonIn(page, 'Create webhook')!.click();
    await settle(fixture);
  }

  describe('the list', () => {
    it('when endpoints exist, then each row shows the URL, description, events in short and the switch', async () => {
      await render([
        makeWebhook({ id: 'a', url: URL_A, description: 'On-call alerts' }),
        makeWebhook({
          id: 'b',
          url: 'https://ops.example.org/in',
          events: ['connection.degraded', 'connection.reconnect_needed'],
          enabled: false,
        }),
      ]);

      expect(rows()).toHaveLength(2);
      const a = row('a');
      expect(text(a.querySelector('th .endpoint-url'))).toBe(URL_A);
      expect(text(a.querySelector('th'))).toContain('On-call alerts');
      expect(text(a.querySelector('th'))).toContain(
        `Added ${formatDate('2026-01-05T10:00:00.000Z', 'medium', 'en-US')}`.replace(/\s+/g, ' '),
      );
      expect(text(a.querySelector('td[data-label=Events]'))).toBe('All connection events');
      const bEvents = row('b').querySelector('td[data-label=Events] span')!;
      expect(text(bEvents)).toBe('degraded, reconnect_needed');
      expect(bEvents.getAttribute('title')).toBe(
        'connection.degraded, connection.reconnect_needed',
      );

      expect(switchOf('a').checked).toBe(true);
      expect(switchOf('b').checked).toBe(false);
      expect(nameOf(switchOf('a'))).toBe(`Deliver events to ${URL_A}`);
      expect(text(row('b').querySelector('.slds-checkbox_faux_container'))).toContain('Disabled');
      expect(buttonIn(a, 'Send test event')).toBeDefined();
      expect(buttonIn(a, `Delete ${URL_A}`)).toBeDefined();
      expect(page.querySelector('app-webhook-deliveries')).toBeNull(); // folded until asked
      expect(page.querySelector('[data-testid=new-webhook-secret]')).toBeNull();
    });

    it('when there are none, then it says so', async () => {
      await render([]);

      expect(page.querySelector('[data-testid=webhooks-empty]')).not.toBeNull();
      expect(page.querySelector('table')).toBeNull();
    });

    it('when the list cannot load, then it shows the message and Try again', async () => {
      fixture = TestBed.createComponent(WebhookList);
      page = fixture.nativeElement as HTMLElement;
      await fixture.whenStable();
      httpMock
        .expectOne('/api/webhooks')
        .flush(
          { error: { code: 'internal_error', message: 'Something broke.' } },
          { status: 500, statusText: 'Server Error' },
        );
      await settle(fixture);

      expect(text(page.querySelector('slds-alert'))).toContain('Something broke.');
      buttonIn(page, 'Try again')!.click();
      httpMock.expectOne('/api/webhooks').flush({ webhooks: [makeWebhook()] });
      await settle(fixture);
      expect(rows()).toHaveLength(1);
    });
  });

  describe('creating', () => {
    it('when the form opens, then every connection event is ticked, and webhook.test is not offered', async () => {
      await render([]);

      expect(eventBoxes().map((b) => [b.value, b.checked])).toEqual(
        ALL_CONNECTION_EVENTS.map((type) => [type, true]),
      );
      expect(page.querySelector('slds-checkbox-group')?.textContent).not.toContain('webhook.test');
      expect(text(page.querySelector('slds-checkbox-group legend'))).toBe('* Events to send');
      const firstLabel = page.querySelector(`label[for="${eventBoxes()[0].id}"]`);
      expect(text(firstLabel)).toBe('connection.connected');
    });

    it('when created, then it POSTs url, events and description, shows the secret once with what it is for, and adds the row', async () => {
      await render([makeWebhook({ id: 'old', url: 'https://older.example.com/' })]);

      type('#webhook-create-url', `  ${URL_A}  `);
      untick('connection.refreshed');
      type('#webhook-create-description', ' On-call alerts ');
      await submit();
      const req = httpMock.expectOne({ method: 'POST', url: '/api/webhooks' });
      expect(req.request.body).toEqual({
        url: URL_A,
        events: ALL_CONNECTION_EVENTS.filter((t) => t !== 'connection.refreshed'),
        description: 'On-call alerts',
      });
      const webhook = makeWebhook({ id: 'new', url: URL_A, description: 'On-call alerts' });
      req.flush({ webhook, secret: SECRET }, { status: 201, statusText: 'Created' });
      await settle(fixture);

      const notice = page.querySelector('[data-testid=new-webhook-secret]')!;
      const field = page.querySelector<HTMLInputElement>('#new-webhook-secret-value')!;
      expect(field.value).toBe(SECRET);
      expect(field.readOnly).toBe(true);
      expect(document.activeElement).toBe(field);
      expect(text(page.querySelector('label[for=new-webhook-secret-value]'))).toBe(
        'Signing secret',
      );
      expect(text(notice)).toContain(`Copy the signing secret for ${URL_A} now.`);
      expect(text(notice)).toContain('You will not be able to see it again');
      expect(text(notice)).toContain('needs it to verify signatures');
      expect(rows().map((r) => r.dataset['webhookId'])).toEqual(['new', 'old']);

      // The form is back to its defaults, ready for another endpoint.
      expect(page.querySelector<HTMLInputElement>('#webhook-create-url')!.value).toBe('');
      expect(eventBoxes().every((b) => b.checked)).toBe(true);
      expect(page.querySelector('#webhook-create-url-error')).toBeNull();

      buttonIn(notice, 'Copy')!.click();
      await settle(fixture);
      expect(copy).toHaveBeenCalledExactlyOnceWith(SECRET);
      expect(buttonIn(notice, 'Copied')).toBeDefined();
      expect(toasts().map((t) => [t.variant, t.message])).toEqual([
        ['success', 'Signing secret copied to the clipboard.'],
      ]);

      buttonIn(notice, 'Done')!.click();
      await fixture.whenStable();
      expect(page.querySelector('[data-testid=new-webhook-secret]')).toBeNull();
      expect(page.textContent).not.toContain(SECRET);
    });

    it('when the description is left empty, then none is sent', async () => {
      await render([]);

      type('#webhook-create-url', URL_A);
      await submit();
      const req = httpMock.expectOne({ method: 'POST', url: '/api/webhooks' });
      expect(req.request.body).toEqual({ url: URL_A, events: ALL_CONNECTION_EVENTS });
      req.flush({ webhook: makeWebhook(), secret: SECRET }, { status: 201, statusText: 'Created' });
      await settle(fixture);
    });

    it('when the page is opened again, then the secret is not there any more', async () => {
      await render([]);
      type('#webhook-create-url', URL_A);
      await submit();
      httpMock
        .expectOne('/api/webhooks')
        .flush({ webhook: makeWebhook({ id: 'new' }), secret: SECRET });
      await settle(fixture);
      expect(page.textContent).toContain('Copy the signing secret');
      fixture.destroy();

      await render([makeWebhook({ id: 'new' })]);

      expect(page.querySelector('[data-testid=new-webhook-secret]')).toBeNull();
      expect(page.querySelector<HTMLInputElement>('#new-webhook-secret-value')).toBeNull();
    });

    it('when the URL or the events are missing, then each field says so and nothing is sent', async () => {
      await render([]);
      for (const type of ALL_CONNECTION_EVENTS) untick(type);

      await submit();

      expect(text(page.querySelector('#webhook-create-url-error'))).toBe(
        'Enter the URL that should receive the events.',
      );
      const group = page.querySelector('slds-checkbox-group')!;
      expect(group.classList).toContain('slds-has-error');
      expect(text(group.querySelector('.slds-form-element__help'))).toBe(
        'Choose at least one event.',
      );
      expect(group.querySelector('fieldset')?.getAttribute('aria-describedby')).toBe(
        group.querySelector('.slds-form-element__help')?.id,
      );
      httpMock.expectNone({ method: 'POST', url: '/api/webhooks' });
    });

    it('when the URL is not a web address, then it asks for a full https URL', async () => {
      await render([]);
      type('#webhook-create-url', 'hooks.example.com/in');

      await submit();

      expect(text(page.querySelector('#webhook-create-url-error'))).toBe(
        'Enter a full URL, starting with https://',
      );
      type('#webhook-create-url', 'ftp://hooks.example.com/in');
      await fixture.whenStable();
      expect(page.querySelector('#webhook-create-url-error')).not.toBeNull();
      httpMock.expectNone({ method: 'POST', url: '/api/webhooks' });
    });

    it('when the server does not allow the URL, then its reason shows and nothing is added', async () => {
      await render([]);
      type('#webhook-create-url', 'https://10.0.0.5/hook');

      await submit();
      httpMock.expectOne({ method: 'POST', url: '/api/webhooks' }).flush(
        {
          error: {
            code: 'webhook_url_not_allowed',
            message: 'The URL must use https and resolve to a public address.',
          },
        },
        { status: 400, statusText: 'Bad Request' },
      );
      await settle(fixture);

      expect(text(page.querySelector('app-webhook-create-form slds-alert'))).toContain(
        'The URL must use https and resolve to a public address.',
      );
      expect(page.querySelector<HTMLInputElement>('#webhook-create-url')!.value).toBe(
        'https://10.0.0.5/hook',
      );
      expect(page.querySelector('[data-testid=new-webhook-secret]')).toBeNull();
      expect(page.querySelector('[data-testid=webhooks-empty]')).not.toBeNull();
    });
  });

  describe('enabling and disabling', () => {
    it('when the switch is turned off, then it shows at once and PATCHes enabled: false', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A })]);

      switchOf('a').click();
      await fixture.whenStable();
      expect(switchOf('a').checked).toBe(false);
      expect(switchOf('a').disabled).toBe(true); // one change at a time
      const req = httpMock.expectOne('/api/webhooks/a');
      expect(req.request.method).toBe('PATCH');
      expect(req.request.body).toEqual({ enabled: false });
      req.flush({ webhook: makeWebhook({ id: 'a', url: URL_A, enabled: false }) });
      await settle(fixture);

      expect(switchOf('a').checked).toBe(false);
      expect(switchOf('a').disabled).toBe(false);
      expect(toasts().map((t) => [t.variant, t.message])).toEqual([
        ['success', `Paused events to ${URL_A}.`],
      ]);
    });

    it('when the server refuses, then the switch goes back and an error toast says why', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A, enabled: false })]);

      switchOf('a').click();
      await fixture.whenStable();
      expect(switchOf('a').checked).toBe(true);
      const req = httpMock.expectOne('/api/webhooks/a');
      expect(req.request.body).toEqual({ enabled: true });
      req.flush(
        { error: { code: 'webhook_not_found', message: 'Webhook not found' } },
        { status: 404, statusText: 'Not Found' },
      );
      await settle(fixture);

      expect(switchOf('a').checked).toBe(false);
      expect(toasts().map((t) => [t.variant, t.message])).toEqual([['error', 'Webhook not found']]);
    });
  });

  describe('deliveries and test events', () => {
    const deliveriesRow = (id: string) => page.querySelector(`#webhook-deliveries-${id}`);

    it('when the chevron is clicked, then that endpoint’s deliveries unfold, and fold again', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A }), makeWebhook({ id: 'b' })]);
      const chevron = buttonIn(row('a'), `Deliveries to ${URL_A}`)!;
      expect(chevron.getAttribute('aria-expanded')).toBe('false');

      chevron.click();
      await fixture.whenStable();
      httpMock
        .expectOne({ method: 'GET', url: '/api/webhooks/a/deliveries' })
        .flush({ deliveries: [makeDelivery({ type: 'connection.connected' })] });
      await settle(fixture);

      expect(chevron.getAttribute('aria-expanded')).toBe('true');
      expect(chevron.getAttribute('aria-controls')).toBe('webhook-deliveries-a');
      expect(text(deliveriesRow('a'))).toContain('connection.connected');
      expect(deliveriesRow('a')?.previousElementSibling).toBe(row('a'));
      expect(deliveriesRow('b')).toBeNull();

      chevron.click();
      await fixture.whenStable();
      expect(deliveriesRow('a')).toBeNull();
      expect(chevron.getAttribute('aria-expanded')).toBe('false');
    });

    it('when Send test event is clicked, then it POSTs …/test and unfolds the deliveries with it', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A })]);

      buttonIn(row('a'), 'Send test event')!.click();
      await fixture.whenStable();
      expect(buttonIn(row('a'), 'Send test event')!.disabled).toBe(true);
      const req = httpMock.expectOne('/api/webhooks/a/test');
      expect(req.request.method).toBe('POST');
      const queued = makeDelivery({ id: 'd1', status: 'pending', attempts: 0 });
      req.flush({ delivery: queued }, { status: 202, statusText: 'Accepted' });
      await settle(fixture);
      httpMock.expectOne('/api/webhooks/a/deliveries').flush({ deliveries: [queued] });
      await settle(fixture);

      expect(text(deliveriesRow('a')?.querySelector('tr[data-delivery-id]'))).toContain(
        'webhook.test',
      );
      expect(text(deliveriesRow('a')?.querySelector('.slds-badge'))).toBe('Pending');
      expect(buttonIn(row('a'), 'Send test event')!.disabled).toBe(false);
      expect(toasts().map((t) => [t.variant, t.message])).toEqual([
        ['success', `Test event queued for ${URL_A}.`],
      ]);
    });

    it('when the deliveries are already open, then Send test event loads them again', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A })]);
      buttonIn(row('a'), `Deliveries to ${URL_A}`)!.click();
      await fixture.whenStable();
      httpMock.expectOne('/api/webhooks/a/deliveries').flush({ deliveries: [] });
      await settle(fixture);
      expect(deliveriesRow('a')?.querySelector('[data-testid=deliveries-empty]')).not.toBeNull();

      buttonIn(row('a'), 'Send test event')!.click();
      await fixture.whenStable();
      httpMock
        .expectOne('/api/webhooks/a/test')
        .flush({ delivery: makeDelivery({ id: 'd1' }) }, { status: 202, statusText: 'Accepted' });
      await settle(fixture);
      httpMock
        .expectOne('/api/webhooks/a/deliveries')
        .flush({ deliveries: [makeDelivery({ id: 'd1' })] });
      await settle(fixture);

      expect(deliveriesRow('a')?.querySelectorAll('tr[data-delivery-id]')).toHaveLength(1);
    });

    it('when the test cannot be sent, then an error toast says why and nothing unfolds', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A })]);

      buttonIn(row('a'), 'Send test event')!.click();
      await fixture.whenStable();
      httpMock
        .expectOne('/api/webhooks/a/test')
        .flush(
          { error: { code: 'webhook_disabled', message: 'Enable the webhook first.' } },
          { status: 409, statusText: 'Conflict' },
        );
      await settle(fixture);

      expect(toasts().map((t) => [t.variant, t.message])).toEqual([
        ['error', 'Enable the webhook first.'],
      ]);
      expect(deliveriesRow('a')).toBeNull();
    });
  });

  describe('deleting', () => {
    it('when Delete is confirmed, then it DELETEs the endpoint and drops the row', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A }), makeWebhook({ id: 'b' })]);

      buttonIn(row('a'), `Delete ${URL_A}`)!.click();
      await settle(fixture);
      const dialog = page.querySelector('[role=dialog]')!;
      expect(text(dialog)).toContain('Delete webhook endpoint?');
      expect(text(dialog)).toContain(URL_A);
      httpMock.expectNone('/api/webhooks/a');
      dialog.querySelector<HTMLButtonElement>('.slds-button_destructive')!.click();
      await settle(fixture);
      const req = httpMock.expectOne('/api/webhooks/a');
      expect(req.request.method).toBe('DELETE');
      req.flush(null, { status: 204, statusText: 'No Content' });
      await settle(fixture);

      expect(page.querySelector('[role=dialog]')).toBeNull();
      expect(rows().map((r) => r.dataset['webhookId'])).toEqual(['b']);
      expect(toasts().map((t) => t.message)).toEqual([`Webhook endpoint ${URL_A} deleted.`]);
    });

    it('when Cancel is clicked, then nothing is deleted', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A })]);

      buttonIn(row('a'), `Delete ${URL_A}`)!.click();
      await settle(fixture);
      buttonIn(page.querySelector('[role=dialog]')!, 'Cancel')!.click();
      await settle(fixture);

      expect(page.querySelector('[role=dialog]')).toBeNull();
      expect(rows()).toHaveLength(1);
      httpMock.expectNone('/api/webhooks/a');
    });

    it('when deleting fails, then the modal keeps the server message', async () => {
      await render([makeWebhook({ id: 'a', url: URL_A })]);
      buttonIn(row('a'), `Delete ${URL_A}`)!.click();
      await settle(fixture);
      page.querySelector<HTMLButtonElement>('[role=dialog] .slds-button_destructive')!.click();
      await settle(fixture);

      httpMock
        .expectOne('/api/webhooks/a')
        .flush(
          { error: { code: 'webhook_not_found', message: 'Webhook not found' } },
          { status: 404, statusText: 'Not Found' },
        );
      await settle(fixture);

      expect(text(page.querySelector('[role=dialog] slds-alert'))).toContain('Webhook not found');
      expect(rows()).toHaveLength(1);
    });
  });
});
