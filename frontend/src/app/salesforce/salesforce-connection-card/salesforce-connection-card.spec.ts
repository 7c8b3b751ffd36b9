import { formatDate } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  TestRequest,
} from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { settle } from '../../../testing/settle';
import { makeConnection, makeHealth, makeTask } from '../../../testing/task-fixtures';
import { apiErrorInterceptor } from '../../core/api/api-error-interceptor';
import { BrowserLocation } from '../../core/browser/browser-location';
import { ToastStore } from '../../core/toasts/toast-store';
import { Clock } from '../../core/time/clock';
import type { ClientConfig, ConnectionTestResult, SalesforceConnection, Task } from '@contract';

import { SalesforceConnectionCard } from './salesforce-connection-card';

describe('SalesforceConnectionCard', () => {
  let fixture: ComponentFixture<SalesforceConnectionCard>;
  let httpMock: HttpTestingController;
  let page: HTMLElement;
  let assign: ReturnType<typeof vi.fn>;
  let historyChanges: number;

  beforeEach(() => {
    assign = vi.fn();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([apiErrorInterceptor])),
        provideHttpClientTesting(),
        { provide: BrowserLocation, useValue: { assign } },
        { provide: Clock, useValue: { now: signal(Date.parse('2026-01-01T00:15:00.000Z')) } },
      ],
    });
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  /** Renders the card for a Task with `sfdc`, answering the one GET /api/config. */
  async function render(
    sfdc: SalesforceConnection | null,
    usesEmulator = false,
    jwtBearer = false,
  ): Promise<void> {
    fixture = TestBed.createComponent(SalesforceConnectionCard);
    page = fixture.nativeElement as HTMLElement;
    fixture.componentRef.setInput('task', makeTask({ id: 't1', sfdc }));
    historyChanges = 0;
    fixture.componentInstance.historyChanged.subscribe(() => historyChanges++);
    const config: ClientConfig = {
      salesforce: { uses_emulator: usesEmulator, api_version: 'v62.0', jwt_bearer: jwtBearer },
    };
    httpMock.expectOne('/api/config').flush(config);
    await settle(fixture);
  }

  const button = (text: string) =>
    Array.from(page.querySelectorAll<HTMLButtonElement>('button')).find(
      (b) => b.textContent?.trim() === text,
    );
  const toasts = () => TestBed.inject(ToastStore).toasts();
  const badgeText = () =>
    page.querySelector('[data-testid=connection-health] .slds-badge')?.textContent?.trim();
  const reasonBox = () => page.querySelector('[data-testid=connection-health-reason]');
  const task = (): Task => fixture.componentInstance.task();

  async function click(text: string): Promise<void> {
    button(text)!.click();
    await settle(fixture);
  }

  function expectAuthorize(): TestRequest {
    const req = httpMock.expectOne('/api/tasks/t1/sfdc/authorize');
    expect(req.request.method).toBe('POST');
    return req;
  }

  describe('when not connected', () => {
    it('then it offers the three environments, Production first, and a brand Connect button', async () => {
      await render(null);

      const radios = Array.from(page.querySelectorAll<HTMLInputElement>('input[type=radio]'));
      const labels = radios.map((r) => page.querySelector(`label[for="${r.id}"]`)?.textContent);
      expect(labels.map((l) => l?.trim())).toEqual(['Production', 'Sandbox', 'My Domain']);
      expect(radios[0].checked).toBe(true);
      expect(page.querySelector('legend')?.textContent).toContain('Salesforce environment');
      expect(button('Connect to Salesforce')?.classList).toContain('slds-button_brand');
      expect(page.querySelector('#my-domain')).toBeNull();
      expect(page.querySelector('slds-scoped-notification')).toBeNull();
      // The deployment has no private key: connecting as an integration user is not offered.
      expect(button('Connect as an integration user')).toBeUndefined();
    });

    it('then Connect POSTs authorize and sends the browser to the answered URL', async () => {
      await render(null);

      await click('Connect to Salesforce');
      const req = expectAuthorize();
      expect(req.request.body).toEqual({ environment: 'production' });
      expect(page.querySelector('slds-spinner')?.textContent).toContain('Opening the Salesforce');
      req.flush({ url: 'https://login.salesforce.com/services/oauth2/authorize?x=1' });
      await settle(fixture);

      expect(assign).toHaveBeenCalledExactlyOnceWith(
        'https://login.salesforce.com/services/oauth2/authorize?x=1',
      );
    });

    it('then Sandbox is sent as sandbox', async () => {
      await render(null);
      page.querySelector<HTMLInputElement>('input[value=sandbox]')!.click();
      await fixture.whenStable();

      await click('Connect to Salesforce');

      expect(expectAuthorize().request.body).toEqual({ environment: 'sandbox' });
    });

    it('then My Domain needs a domain, and a pasted URL is sent as its host', async () => {
      await render(null);
      page.querySelector<HTMLInputElement>('input[value=custom]')!.click();
      await fixture.whenStable();

      await click('Connect to Salesforce');
      expect(page.querySelector('#my-domain-error')?.textContent?.trim()).toBe(
        'Enter your My Domain, like acme.my.salesforce.com.',
      );
      httpMock.expectNone('/api/tasks/t1/sfdc/authorize');

      const domain = page.querySelector<HTMLInputElement>('#my-domain')!;
      domain.value = 'https://Acme.my.salesforce.com/';
      domain.dispatchEvent(new Event('input'));
      await fixture.whenStable();
      expect(page.querySelector('#my-domain-error')).toBeNull();
      await click('Connect to Salesforce');

      expect(expectAuthorize().request.body).toEqual({
        environment: 'custom',
        domain: 'acme.my.salesforce.com',
      });
    });

    it('then, back from Salesforce through the back/forward cache, Connect works again', async () => {
      await render(null);
      await click('Connect to Salesforce');
      expectAuthorize().flush({ url: 'https://login.salesforce.com/authorize' });
      await settle(fixture);
      expect(button('Connect to Salesforce')!.disabled).toBe(true);

      const pageshow = new Event('pageshow') as PageTransitionEvent;
      Object.defineProperty(pageshow, 'persisted', { value: true });
      window.dispatchEvent(pageshow);
      await fixture.whenStable();

      expect(button('Connect to Salesforce')!.disabled).toBe(false);
      expect(page.querySelector('slds-spinner')).toBeNull();
    });

    it('then a refused authorize shows the server message and does not leave the page', async () => {
      await render(null);
      await click('Connect to Salesforce');

      expectAuthorize().flush(
        { error: { code: 'invalid_request', message: 'That domain is not a Salesforce host.' } },
        { status: 400, statusText: 'Bad Request' },
      );
      await settle(fixture);

      expect(page.querySelector('slds-alert')?.textContent).toContain(
        'That domain is not a Salesforce host.',
      );
      expect(button('Connect to Salesforce')!.disabled).toBe(false);
      expect(assign).not.toHaveBeenCalled();
    });

    it('then, on the built-in emulator, it says so', async () => {
      await render(null, true);

      expect(page.querySelector('slds-scoped-notification')?.textContent).toContain(
        'Salesforce here is the built-in emulator: pick a demo user on its consent page and click Allow',
      );
    });
  });

  describe('when connected', () => {
    it('then it shows who, where and since when, and the last test from the Task', async () => {
      await render(
        makeConnection({
          refreshed_at: '2026-02-01T08:00:00.000Z',
          last_test: {
            status: false,
            message: 'Salesforce did not answer',
            code: 'salesforce_unavailable',
            refreshed: false,
            at: '2026-02-02T09:00:00.000Z',
          },
        }),
      );

      const details = page.querySelector('[data-testid=connection-details]')!.textContent!;
      for (const text of ['Ada Lovelace', 'ada@acme.com', '00D000000000001']) {
        expect(details).toContain(text);
      }
      expect(details).toContain('https://acme.my.salesforce.com');
      expect(details).toContain(formatDate('2026-01-01T00:00:00.000Z', 'medium', 'en-US'));
      expect(details).toContain(formatDate('2026-02-01T08:00:00.000Z', 'medium', 'en-US'));
      const lastTest = page.querySelector('[data-testid=connection-last-test]')!.textContent!;
      expect(lastTest).toContain('Last test failed');
      expect(lastTest).toContain('Salesforce did not answer');
      expect(button('Connect to Salesforce')).toBeUndefined();
    });

    it('then its health shows above the details: the badge and when it was and will be checked', async () => {
      await render(makeConnection());

      const health = page.querySelector('[data-testid=connection-health]')!;
      expect(
        health.compareDocumentPosition(page.querySelector('[data-testid=connection-details]')!),
      ).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
      expect(badgeText()).toBe('Healthy');
      expect(health.textContent).toContain('Last check: 10 minutes ago');
      expect(health.textContent).toContain('Next check: in 5 minutes');
      expect(reasonBox()).toBeNull();
    });

    it("then, once Salesforce reported the org's API usage, a bar shows it between the health and the details", async () => {
      await render(
        makeConnection({
          api_usage: { used: 12_345, limit: 15_000, at: '2026-01-01T00:14:00.000Z' },
        }),
      );

      const usage = page.querySelector<HTMLElement>('[data-testid=api-usage]')!;
      expect(usage.textContent).toContain('12,345 of 15,000 API requests today');
      expect(usage.title).toBe(
        `Measured ${formatDate('2026-01-01T00:14:00.000Z', 'medium', 'en-US')}`,
      );
      const bar = usage.querySelector('[role=progressbar]')!;
      expect(bar.getAttribute('aria-label')).toBe('Salesforce API requests today');
      expect(bar.getAttribute('aria-valuetext')).toBe('12,345 of 15,000 (82%)');
      expect(bar.querySelector('.slds-progress-bar__value')!.classList).toContain(
        'slds-progress-bar__value_warning',
      );
      const health = page.querySelector('[data-testid=connection-health]')!;
      const details = page.querySelector('[data-testid=connection-details]')!;
      expect(health.compareDocumentPosition(usage)).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
      expect(usage.compareDocumentPosition(details)).toBe(Node.DOCUMENT_POSITION_FOLLOWING);
    });

    it('then, while the usage is unknown, there is no bar; a test answer that carries it shows it', async () => {
      await render(makeConnection({ api_usage: null }));
      expect(page.querySelector('[data-testid=api-usage]')).toBeNull();
      expect(page.querySelector('[role=progressbar]')).toBeNull();

      await click('Test connection');
      httpMock.expectOne('/api/tasks/t1/sfdc/test').flush(
        testResult(
          { status: true, message: 'Connected as ada@acme.com' },
          makeConnection({
            api_usage: { used: 14_900, limit: 15_000, at: '2026-01-01T00:15:00.000Z' },
          }),
        ),
      );
      await settle(fixture);

      const bar = page.querySelector('[data-testid=api-usage] [role=progressbar]')!;
      expect(bar.getAttribute('aria-valuenow')).toBe('14900');
      expect(bar.querySelector('.slds-progress-bar__value')!.classList).toContain(
        'slds-progress-bar__value_error',
      );
    });

    it('then, when degraded, the reason shows without Reconnect, and testing stays possible', async () => {
      await render(
        makeConnection({
          health: makeHealth({ state: 'degraded', reason: 'Salesforce did not answer in time.' }),
        }),
      );

      expect(badgeText()).toBe('Degraded');
      expect(reasonBox()?.textContent).toContain('Salesforce did not answer in time.');
      expect(reasonBox()?.querySelector('button')).toBeNull();
      expect(button('Reconnect')).toBeUndefined();
      expect(button('Test connection')).toBeDefined();
    });

    it('then a passing test shows a spinner, a success toast, and the connection the answer carries', async () => {
      await render(makeConnection());
      expect(page.querySelector('[data-testid=connection-last-test]')).toBeNull();

      await click('Test connection');
      const req = httpMock.expectOne('/api/tasks/t1/sfdc/test');
      expect(req.request.method).toBe('POST');
      expect(req.request.body).toEqual({});
      expect(button('Test connection')!.disabled).toBe(true);
      expect(page.querySelector('slds-spinner')?.textContent).toContain('Testing the connection');
      const after = makeConnection({
        // What only the backend knows: when it refreshed, and who Salesforce says the user is now.
        refreshed_at: '2026-03-01T11:59:58.000Z',
        identity: { ...makeConnection().identity!, display_name: 'Ada King' },
        last_test: {
          status: true,
          message: 'Connected as ada@acme.com',
          code: null,
          refreshed: true,
          at: '2026-03-01T12:00:00.000Z',
        },
      });
      req.flush(
        testResult({ status: true, message: 'Connected as ada@acme.com', refreshed: true }, after),
      );
      await settle(fixture);

      expect(toasts().map((t) => [t.variant, t.message])).toEqual([
        ['success', 'Connection test passed: Connected as ada@acme.com'],
      ]);
      const lastTest = page.querySelector('[data-testid=connection-last-test]')!.textContent!;
      expect(lastTest).toContain('Last test passed');
      expect(lastTest).toContain('Connected as ada@acme.com (token refreshed)');
      const details = page.querySelector('[data-testid=connection-details]')!.textContent!;
      expect(details).toContain('Ada King');
      expect(details).toContain(formatDate('2026-03-01T11:59:58.000Z', 'medium', 'en-US'));
      expect(task().sfdc).toEqual(after); // and the page's copy of the Task gets it too
      httpMock.expectNone('/api/tasks/t1'); // no reload: the answer said it all
      expect(page.querySelector('slds-spinner')).toBeNull();
      expect(historyChanges).toBe(1);
    });

    it('then a failing test shows an error toast with its message and keeps that result', async () => {
      await render(makeConnection());
      await click('Test connection');

      httpMock.expectOne('/api/tasks/t1/sfdc/test').flush(
        testResult({
          status: false,
          message: 'REQUEST_LIMIT_EXCEEDED',
          code: 'salesforce_api_error',
        }),
      );
      await settle(fixture);

      expect(toasts().map((t) => [t.variant, t.message])).toEqual([
        ['error', 'Connection test failed: REQUEST_LIMIT_EXCEEDED'],
      ]);
      expect(page.querySelector('[data-testid=connection-last-test]')?.textContent).toContain(
        'Last test failed',
      );
      expect(button('Test connection')).toBeDefined(); // still the connected state
      expect(reasonBox()).toBeNull();
      expect(historyChanges).toBe(1);
    });

    it('then a test answering reconnect-needed switches to the reconnect state, without a reload', async () => {
      await render(makeConnection());
      expect(badgeText()).toBe('Healthy');
      await click('Test connection');

      httpMock.expectOne('/api/tasks/t1/sfdc/test').flush(
        testResult(
          {
            status: false,
            message: 'Salesforce revoked access',
            code: 'salesforce_reconnect_needed',
          },
          revokedConnection('production'),
        ),
      );
      await settle(fixture);

      httpMock.expectNone('/api/tasks/t1');
      expect(badgeText()).toBe('Reconnect needed');
      expect(reasonBox()?.textContent).toContain(REASON);
      expect(reasonBox()?.querySelector('button')?.textContent?.trim()).toBe('Reconnect');
      expect(button('Test connection')).toBeUndefined();
      expect(toasts().map((t) => t.message)).toEqual([
        'Connection test failed: Salesforce revoked access',
      ]);
    });

    it('then a test answering that the Task is not connected any more (disconnected elsewhere) shows Connect', async () => {
      await render(makeConnection());
      await click('Test connection');

      httpMock
        .expectOne('/api/tasks/t1/sfdc/test')
        .flush(
          testResult(
            { status: false, message: 'Not connected', code: 'salesforce_not_connected' },
            null,
          ),
        );
      await settle(fixture);

      expect(task().sfdc).toBeNull();
      expect(button('Connect to Salesforce')).toBeDefined();
      expect(historyChanges).toBe(1);
    });

    it('then a test that fails at HTTP level shows the envelope message', async () => {
      await render(makeConnection());
      await click('Test connection');

      httpMock
        .expectOne('/api/tasks/t1/sfdc/test')
        .flush(
          { error: { code: 'internal_error', message: 'Something broke on our side.' } },
          { status: 500, statusText: 'Server Error' },
        );
      await settle(fixture);

      expect(toasts()[0]).toMatchObject({
        variant: 'error',
        message: 'Connection test failed: Something broke on our side.',
      });
      expect(button('Test connection')!.disabled).toBe(false);
    });

    it('then Disconnect asks first, DELETEs, and the card shows not connected', async () => {
      await render(makeConnection());

      await click('Disconnect');
      const dialog = page.querySelector('[role=dialog]')!;
      expect(dialog.textContent).toContain('Disconnect from Salesforce?');
      httpMock.expectNone('/api/tasks/t1/sfdc');
      dialog.querySelector<HTMLButtonElement>('.slds-button_destructive')!.click();
      await settle(fixture);
      const req = httpMock.expectOne('/api/tasks/t1/sfdc');
      expect(req.request.method).toBe('DELETE');
      req.flush(null, { status: 204, statusText: 'No Content' });
      await settle(fixture);

      expect(page.querySelector('[role=dialog]')).toBeNull();
      expect(task().sfdc).toBeNull();
      expect(button('Connect to Salesforce')).toBeDefined();
      expect(toasts().map((t) => t.message)).toEqual(['Disconnected from Salesforce.']);
      expect(historyChanges).toBe(1);
    });

    it('then a failed disconnect keeps the modal open with the reason', async () => {
      await render(makeConnection());
      await click('Disconnect');
      page.querySelector<HTMLButtonElement>('[role=dialog] .slds-button_destructive')!.click();
      await settle(fixture);

      httpMock
        .expectOne('/api/tasks/t1/sfdc')
        .flush(
          { error: { code: 'salesforce_unavailable', message: 'Salesforce did not answer.' } },
          { status: 502, statusText: 'Bad Gateway' },
        );
      await settle(fixture);

      expect(page.querySelector('[role=dialog] slds-alert')?.textContent).toContain(
        'Salesforce did not answer.',
      );
      expect(task().sfdc).not.toBeNull();
    });

    it('then cancelling the modal sends nothing', async () => {
      await render(makeConnection());
      await click('Disconnect');

      await click('Cancel');

      expect(page.querySelector('[role=dialog]')).toBeNull();
      httpMock.expectNone('/api/tasks/t1/sfdc');
    });
  });

  describe('when a reconnect is needed', () => {
    const revoked = revokedConnection;

    it('then the health says why in words, with Reconnect beside it, which reuses the environment', async () => {
      await render(revoked('sandbox'), true);

      expect(badgeText()).toBe('Reconnect needed');
      expect(reasonBox()!.textContent).toContain(REASON);
      expect(page.textContent).not.toContain('invalid_grant'); // the raw status_reason never shows
      const reconnect = reasonBox()!.querySelector<HTMLButtonElement>('button')!;
      expect(reconnect.textContent?.trim()).toBe('Reconnect');
      expect(reconnect.classList).toContain('slds-button_brand');
      expect(page.querySelector('[data-testid=connection-details]')).toBeNull();
      expect(page.querySelector('input[type=radio]')).toBeNull();
      expect(page.querySelector('slds-scoped-notification')).not.toBeNull();
      expect(button('Disconnect')).toBeDefined();

      reconnect.click();
      await settle(fixture);
      expectAuthorize().flush({ url: 'https://test.salesforce.com/authorize' });
      await settle(fixture);

      expect(assign).toHaveBeenCalledWith('https://test.salesforce.com/authorize');
    });

    it('then a health that says reconnect needed is enough, even while the status still says connected', async () => {
      await render(makeConnection({ health: revoked('production').health }));

      expect(badgeText()).toBe('Reconnect needed');
      expect(reasonBox()?.querySelector('button')?.textContent?.trim()).toBe('Reconnect');
      expect(button('Test connection')).toBeUndefined();
    });

    it('then, for My Domain, it asks for the domain again', async () => {
      await render(revoked('custom'));

      expect(page.querySelector<HTMLInputElement>('input[value=custom]')!.checked).toBe(true);
      const domain = page.querySelector<HTMLInputElement>('#my-domain')!;
      domain.value = 'acme.my.salesforce.com';
      domain.dispatchEvent(new Event('input'));
      await click('Reconnect');

      expect(expectAuthorize().request.body).toEqual({
        environment: 'custom',
        domain: 'acme.my.salesforce.com',
      });
    });
  });

  describe('connecting as an integration user (JWT bearer)', () => {
    const form = () => page.querySelector<HTMLElement>('[data-testid=jwt-bearer-form]');
    const usernameInput = () => page.querySelector<HTMLInputElement>('#jwt-username')!;
    const formAlert = () => form()?.querySelector('slds-alert')?.textContent?.trim();
    const typeNote = () => page.querySelector('[data-testid=connection-type]')?.textContent?.trim();
    const REFUSAL =
      "Salesforce refused the integration user: the user hasn't been pre-authorized for this app. An admin must add the app to the user's profile or a permission set (Setup → Connected Apps → Manage → Profiles / Permission Sets).";

    async function type(input: HTMLInputElement, value: string): Promise<void> {
      input.value = value;
      input.dispatchEvent(new Event('input'));
      await fixture.whenStable();
    }

    async function pickEnvironment(value: string): Promise<void> {
      form()!.querySelector<HTMLInputElement>(`input[value=${value}]`)!.click();
      await fixture.whenStable();
    }

    function expectConnectJwt(): TestRequest {
      const req = httpMock.expectOne('/api/tasks/t1/sfdc/connect-jwt');
      expect(req.request.method).toBe('POST');
      return req;
    }

    function jwtConnection(overrides: Partial<SalesforceConnection> = {}): SalesforceConnection {
      return makeConnection({
        connection_type: 'jwt_bearer',
        identity: {
          username: 'grace@acme.example',
          display_name: 'Grace Hopper',
          organization_id: '00D000000000001',
          user_id: '005000000000002',
        },
        ...overrides,
      });
    }

    it('then it is offered beside Connect to Salesforce only when the config says so', async () => {
      await render(null, false, true);

      const offer = button('Connect as an integration user')!;
      expect(offer).toBeDefined();
      expect(offer.classList).not.toContain('slds-button_brand');
      expect(offer.parentElement).toBe(button('Connect to Salesforce')!.parentElement);
      expect(form()).toBeNull();
    });

    it('then it opens a form with the environments and a username, and Cancel closes it', async () => {
      await render(null, false, true);

      await click('Connect as an integration user');

      expect(form()!.querySelector('h3')?.textContent).toContain('Connect as an integration user');
      const radios = Array.from(form()!.querySelectorAll<HTMLInputElement>('input[type=radio]'));
      expect(radios.map((r) => r.value)).toEqual(['production', 'sandbox', 'custom']);
      expect(radios[0].checked).toBe(true);
      expect(page.querySelector('label[for=jwt-username]')?.textContent).toContain(
        'Salesforce username',
      );
      expect(button('Connect to Salesforce')).toBeUndefined(); // one environment picker at a time

      await click('Cancel');
      expect(form()).toBeNull();
      expect(button('Connect to Salesforce')).toBeDefined();
      httpMock.expectNone('/api/tasks/t1/sfdc/connect-jwt');
    });

    it('then Connect needs a username, and POSTs connect-jwt with the environment and username', async () => {
      await render(null, false, true);
      await click('Connect as an integration user');

      await click('Connect');
      expect(page.querySelector('#jwt-username-error')?.textContent?.trim()).toBe(
        "Enter the integration user's Salesforce username.",
      );
      httpMock.expectNone('/api/tasks/t1/sfdc/connect-jwt');

      await pickEnvironment('sandbox');
      await type(usernameInput(), '  grace@acme.example ');
      await click('Connect');

      const req = expectConnectJwt();
      expect(req.request.body).toEqual({ environment: 'sandbox', username: 'grace@acme.example' });
      expect(button('Connect')!.disabled).toBe(true);
      expect(form()!.querySelector('slds-spinner')?.textContent).toContain(
        'Connecting as the integration user',
      );
      req.flush({ sfdc: jwtConnection({ environment: 'sandbox' }) });
      await settle(fixture);
    });

    it('then, for My Domain, the domain is asked for and sent as its host', async () => {
      await render(null, false, true);
      await click('Connect as an integration user');
      await pickEnvironment('custom');
      await type(usernameInput(), 'grace@acme.example');

      await click('Connect');
      expect(page.querySelector('#my-domain-error')).not.toBeNull();
      httpMock.expectNone('/api/tasks/t1/sfdc/connect-jwt');

      await type(
        page.querySelector<HTMLInputElement>('#my-domain')!,
        'https://acme.my.salesforce.com/',
      );
      await click('Connect');

      expect(expectConnectJwt().request.body).toEqual({
        environment: 'custom',
        domain: 'acme.my.salesforce.com',
        username: 'grace@acme.example',
      });
    });

    it('then success shows the connection with the integration-user note and a success toast', async () => {
      await render(null, false, true);
      await click('Connect as an integration user');
      await type(usernameInput(), 'grace@acme.example');
      await click('Connect');

      const connected = jwtConnection();
      expectConnectJwt().flush({ sfdc: connected });
      await settle(fixture);

      expect(form()).toBeNull();
      expect(task().sfdc).toEqual(connected);
      expect(typeNote()).toBe('Connected as an integration user (server-to-server)');
      const details = page.querySelector('[data-testid=connection-details]')!.textContent!;
      expect(details).toContain('Grace Hopper');
      expect(details).toContain('grace@acme.example');
      expect(badgeText()).toBe('Healthy');
      expect(button('Test connection')).toBeDefined();
      expect(toasts().map((t) => [t.variant, t.message])).toEqual([
        ['success', 'Connected to Salesforce as the integration user grace@acme.example.'],
      ]);
      expect(historyChanges).toBe(1);
    });

    it("then Salesforce's refusal shows its message in the form, keeping what was entered", async () => {
      await render(null, false, true);
      await click('Connect as an integration user');
      await pickEnvironment('sandbox');
      await type(usernameInput(), 'ada@acme.example');
      await click('Connect');

      expectConnectJwt().flush(
        {
          error: {
            code: 'salesforce_jwt_refused',
            message: REFUSAL,
            details: {
              salesforce_error: 'invalid_app_access',
              salesforce_description: 'user is not admin approved to access this app',
            },
          },
        },
        { status: 400, statusText: 'Bad Request' },
      );
      await settle(fixture);

      expect(formAlert()).toContain(REFUSAL);
      expect(usernameInput().value).toBe('ada@acme.example');
      expect(form()!.querySelector<HTMLInputElement>('input[value=sandbox]')!.checked).toBe(true);
      expect(button('Connect')!.disabled).toBe(false);
      expect(task().sfdc).toBeNull();
      expect(toasts()).toEqual([]);
      expect(historyChanges).toBe(0);

      // Fixed by an admin, the same values go again; the old message goes with the new try.
      await click('Connect');
      const retry = expectConnectJwt();
      expect(retry.request.body).toEqual({ environment: 'sandbox', username: 'ada@acme.example' });
      expect(formAlert()).toBeUndefined();
      retry.flush({ sfdc: jwtConnection() });
      await settle(fixture);
      expect(form()).toBeNull();
    });

    it('then a connection made by signing in has no integration-user note', async () => {
      await render(makeConnection(), false, true);

      expect(typeNote()).toBeUndefined();
      expect(button('Connect as an integration user')).toBeUndefined();
    });

    it('then Reconnect on an integration-user connection re-runs the grant with its username and environment', async () => {
      await render(
        jwtConnection({ ...revokedConnection('sandbox'), connection_type: 'jwt_bearer' }),
        true,
        true,
      );
      expect(badgeText()).toBe('Reconnect needed');
      expect(typeNote()).toBe('Connected as an integration user (server-to-server)');
      // No sign-in page on this way back in: neither the consent-page note nor a picker.
      expect(page.querySelector('slds-scoped-notification')).toBeNull();
      expect(page.querySelector('input[type=radio]')).toBeNull();

      await click('Reconnect');
      const req = expectConnectJwt();
      expect(req.request.body).toEqual({ environment: 'sandbox', username: 'ada@acme.com' });
      httpMock.expectNone('/api/tasks/t1/sfdc/authorize');
      expect(reasonBox()?.querySelector('slds-spinner')?.textContent).toContain(
        'Connecting as the integration user',
      );
      req.flush({ sfdc: jwtConnection({ environment: 'sandbox' }) });
      await settle(fixture);

      expect(assign).not.toHaveBeenCalled();
      expect(badgeText()).toBe('Healthy');
      expect(button('Test connection')).toBeDefined();
      expect(toasts().map((t) => t.message)).toEqual([
        'Connected to Salesforce as the integration user grace@acme.example.',
      ]);
      expect(historyChanges).toBe(1);
    });

    it('then a refused reconnect shows the message on the card', async () => {
      await render(
        jwtConnection({ ...revokedConnection('production'), connection_type: 'jwt_bearer' }),
        false,
        true,
      );

      await click('Reconnect');
      expectConnectJwt().flush(
        { error: { code: 'salesforce_jwt_refused', message: REFUSAL } },
        { status: 400, statusText: 'Bad Request' },
      );
      await settle(fixture);

      expect(page.querySelector('slds-alert')?.textContent).toContain(REFUSAL);
      expect(badgeText()).toBe('Reconnect needed');
      expect(button('Reconnect')!.disabled).toBe(false);
    });

    it('then reconnecting a My Domain integration user asks for the domain, with the username filled in', async () => {
      await render(
        jwtConnection({ ...revokedConnection('custom'), connection_type: 'jwt_bearer' }),
        false,
        true,
      );

      await click('Reconnect');
      httpMock.expectNone('/api/tasks/t1/sfdc/connect-jwt');
      expect(usernameInput().value).toBe('ada@acme.com');
      expect(form()!.querySelector<HTMLInputElement>('input[value=custom]')!.checked).toBe(true);
      await type(page.querySelector<HTMLInputElement>('#my-domain')!, 'acme.my.salesforce.com');
      await click('Connect');

      expect(expectConnectJwt().request.body).toEqual({
        environment: 'custom',
        domain: 'acme.my.salesforce.com',
        username: 'ada@acme.com',
      });
    });

    it('then a connection made by signing in still reconnects by signing in', async () => {
      await render(revokedConnection('production'), false, true);

      await click('Reconnect');

      expect(expectAuthorize().request.body).toEqual({ environment: 'production' });
      httpMock.expectNone('/api/tasks/t1/sfdc/connect-jwt');
    });
  });
});

const REASON =
  "Salesforce revoked this connection because the Task 'Quarterly sync' connected as the same Salesforce user. Reconnect to use it again.";

/** A connection Salesforce refused for good, as the backend describes it. */
function revokedConnection(environment: SalesforceConnection['environment']): SalesforceConnection {
  return makeConnection({
    status: 'reconnect_needed',
    status_reason: 'invalid_grant',
    environment,
    health: makeHealth({ state: 'reconnect_needed', reason: REASON, next_check_at: null }),
  });
}

/** The test's answer as the backend sends it: the outcome, and the connection as stored after it. */
function testResult(
  outcome: Partial<Pick<ConnectionTestResult, 'status' | 'message' | 'code' | 'refreshed'>>,
  sfdc?: SalesforceConnection | null,
): ConnectionTestResult {
  const at = '2026-03-01T12:00:00.000Z';
  const lastTest = { status: true, message: 'OK', code: null, refreshed: false, at, ...outcome };
  return {
    ...lastTest,
    tested_at: at,
    sfdc: sfdc === undefined ? makeConnection({ last_test: lastTest }) : sfdc,
  };
}
