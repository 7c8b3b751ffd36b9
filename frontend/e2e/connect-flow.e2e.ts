import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { startAppInChromium, stopAppInChromium } from './app-in-chromium';
import { controlEmulator, type AppUnderTest } from './app-under-test';
import { missingBrowserReason, screenshot } from './browser';

const skip = missingBrowserReason();
if (skip) console.log(`# e2e skipped: ${skip}`);

interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A webhook endpoint in the test process: answers 200 to everything and keeps what it got. */
async function startReceiver(): Promise<{
  url: string;
  received: ReceivedRequest[];
  server: Server;
}> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === 'string') headers[name] = value;
      }
      received.push({ method: req.method ?? '', path: req.url ?? '', headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, server };
}

/** Resolves once `probe` answers something, checking every 100 ms. */
async function eventually<T>(
  probe: () => T | undefined,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The whole journey in real Chromium against the app as `npm start` runs it, on the built-in
 * Salesforce emulator. Steps share one browser and build on each other, like a person would.
 */
describe('connecting a Task to Salesforce in the browser', { skip }, () => {
  let app: AppUnderTest;
  let browser: Browser;
  let page: Page;
  let taskUrl: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  before(async () => {
    ({ app, browser, page } = await startAppInChromium());
    receiver = await startReceiver();
  });
  after(async () => {
    await stopAppInChromium({ app, browser });
    receiver?.server.close();
  });

  /** Closes the toasts (they would fade after 5 s) so the screenshot shows the page itself. */
  const dismissToasts = async (target: Page) => {
    const close = target.getByRole('button', { name: 'Close' });
    // A toast may fade on its own between counting and clicking: never wait for one that left.
    for (let i = 0; i < 10 && (await close.count()) > 0; i++)
      await close
        .first()
        .click({ timeout: 1000 })
        .catch(() => undefined);
  };
  const toast = (text: RegExp | string) =>
    page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: text }).first();
  const salesforceCard = () =>
    page
      .locator('slds-card', { hasText: 'Salesforce' })
      .filter({ has: page.getByRole('heading', { name: 'Salesforce', exact: true }) });
  const healthBadge = () =>
    salesforceCard().getByTestId('connection-health').locator('.slds-badge');
  const healthReason = () => salesforceCard().getByTestId('connection-health-reason');
  const taskRow = (name: string) =>
    page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  const badgeOf = (name: string) => taskRow(name).locator('.slds-badge').innerText();
  const listedNames = () => page.locator('table tbody th a').allInnerTexts();

  /** On the Task list: adds a Task and waits for its row. */
  const createTask = async (name: string) => {
    await page.getByLabel('Name').fill(name);
    await page.getByRole('button', { name: 'Create task' }).click();
    await page.getByRole('link', { name, exact: true }).waitFor();
  };
  /** On a Task page: Connect (or Reconnect), Allow as the consent page's default user, and back. */
  const connectHere = async () => {
    const url = page.url();
    await salesforceCard()
      .getByRole('button', { name: /^(Connect to Salesforce|Reconnect)$/ })
      .click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(url); // back, with the OAuth query cleaned from the address bar
    await salesforceCard().getByRole('button', { name: 'Test connection' }).waitFor();
  };

  test('sign up and create a Task', async () => {
    await page.goto(`${app.url}/register`);
    await page.getByLabel('Email').fill('e2e-ada@example.com');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/tasks');
    await page.getByLabel('Name').fill('Nightly account sync');
    await page.getByLabel('Description').fill('Copies Accounts from Salesforce every night');
    await page.getByRole('button', { name: 'Create task' }).click();
    const link = page.getByRole('link', { name: 'Nightly account sync' });
    await link.waitFor();
    await screenshot(page, '01-task-list');
    await link.click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    taskUrl = page.url();
    await salesforceCard().getByRole('button', { name: 'Connect to Salesforce' }).waitFor();
    // The note waits for /api/config, which may answer after the button shows: wait, not read.
    await salesforceCard()
      .getByText(/built-in emulator/)
      .waitFor();
    await screenshot(page, '02-task-not-connected');
  });

  test('connect: the consent page, Allow, and the identity is shown', async () => {
    const stylesheet = page.waitForResponse((res) =>
      res.url().endsWith('/emulator-assets/slds.css'),
    );
    await salesforceCard().getByRole('button', { name: 'Connect to Salesforce' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    assert.equal((await stylesheet).status(), 200, 'the consent page got its stylesheet');
    await screenshot(page, '03-emulator-consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(taskUrl); // back, with ?sfdc=connected cleaned from the address bar
    await toast(/Connected to Salesforce/).waitFor();
    await salesforceCard().getByText('ada@acme.example').first().waitFor();
    assert.match(await salesforceCard().innerText(), /Ada Lovelace/);
    assert.match(await salesforceCard().innerText(), /00D5g00000PRODAEAQ/);
    await screenshot(page, '04-connected');
  });

  test('test the connection: a success toast', async () => {
    await salesforceCard().getByRole('button', { name: 'Test connection' }).click();
    await toast(/Connected to Salesforce as ada@acme\.example/).waitFor();
    await screenshot(page, '05-tested');
  });

  test('the emulator expires the token: the test still succeeds and a refresh shows in the history', async () => {
    await controlEmulator(app, 'expire-access-tokens');
    await salesforceCard().getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Access token refreshed').first().waitFor();
    assert.match(await salesforceCard().innerText(), /refreshed/i);
    await dismissToasts(page);
    await screenshot(page, '06-refreshed');
  });

  test('the emulator revokes the refresh token: "Reconnect needed", then Reconnect connects again', async () => {
    await controlEmulator(app, 'revoke-refresh-tokens');
    await controlEmulator(app, 'expire-access-tokens');
    await salesforceCard().getByRole('button', { name: 'Test connection' }).click();
    await healthBadge().filter({ hasText: 'Reconnect needed' }).waitFor();
    await screenshot(page, '07-reconnect-needed');
    await salesforceCard().getByRole('button', { name: 'Reconnect' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(taskUrl);
    await salesforceCard().getByRole('button', { name: 'Test connection' }).waitFor();
    await screenshot(page, '08-reconnected');
  });

  test('disconnect: behind a confirmation, then not connected', async () => {
    await salesforceCard().getByRole('button', { name: 'Disconnect' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await screenshot(page, '09-disconnect-confirm');
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await salesforceCard().getByRole('button', { name: 'Connect to Salesforce' }).waitFor();
    await screenshot(page, '10-disconnected');
  });

  test('deny on the consent page: an error toast and still not connected', async () => {
    await salesforceCard().getByRole('button', { name: 'Connect to Salesforce' }).click();
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(taskUrl);
    await toast(/denied access/).waitFor();
    await salesforceCard().getByRole('button', { name: 'Connect to Salesforce' }).waitFor();
    await screenshot(page, '11-denied');
  });

  test('a second user cannot see the Task', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const other = await context.newPage();
    await other.goto(`${app.url}/register`);
    await other.getByLabel('Email').fill('e2e-grace@example.com');
    await other.getByLabel('Password').fill('another long password');
    await other.getByRole('button', { name: 'Create account' }).click();
    await other.waitForURL('**/tasks');
    await other
      .getByText(/no tasks/i)
      .first()
      .waitFor();
    await other.goto(taskUrl);
    await other
      .getByText(/not found/i)
      .first()
      .waitFor();
    assert.equal(await other.getByText('Nightly account sync').count(), 0);
    await screenshot(other, '12-other-user-mobile');
    await context.close();
  });

  test('the Task list: a health badge per Task, and "Needs attention" shows only the broken one', async () => {
    await page.goto(taskUrl); // disconnected above: connect it again
    await connectHere();
    await page.goto(`${app.url}/tasks`);
    await createTask('Weekly contact export');
    await dismissToasts(page);
    assert.equal(await badgeOf('Nightly account sync'), 'Healthy');
    assert.equal(await badgeOf('Weekly contact export'), 'Not connected');
    await screenshot(page, '13-task-list-health');

    // Salesforce stops honouring the refresh token; the next test is what tells the backend.
    await controlEmulator(app, 'revoke-refresh-tokens');
    await controlEmulator(app, 'expire-access-tokens');
    await page.goto(taskUrl);
    await salesforceCard().getByRole('button', { name: 'Test connection' }).click();
    await healthBadge().filter({ hasText: 'Reconnect needed' }).waitFor();

    await page.goto(`${app.url}/tasks`);
    await taskRow('Weekly contact export').waitFor();
    await page.getByText('Needs attention', { exact: true }).click();
    await page.waitForURL('**/tasks?attention=1');
    await page.getByRole('link', { name: 'Weekly contact export' }).waitFor({ state: 'detached' });
    await page.reload(); // the filter lives in the address, so it survives a reload
    await taskRow('Nightly account sync').waitFor();
    assert.deepEqual(await listedNames(), ['Nightly account sync']);
    assert.equal(await badgeOf('Nightly account sync'), 'Reconnect needed');
    assert.ok(await page.getByRole('radio', { name: 'Needs attention' }).isChecked());
    await screenshot(page, '14-needs-attention');
  });

  test('the Task page: "Reconnect needed" with the reason in words and Reconnect beside it', async () => {
    await page.getByRole('link', { name: 'Nightly account sync' }).click();
    await page.waitForURL(taskUrl);
    assert.equal(await healthBadge().innerText(), 'Reconnect needed');
    const reason = await healthReason().innerText();
    assert.doesNotMatch(reason, /invalid_grant/);
    assert.match(reason, /Salesforce .+ Reconnect/); // a sentence, not a code
    await healthReason().getByRole('button', { name: 'Reconnect' }).waitFor();
    await screenshot(page, '15-reconnect-needed-reason');

    await connectHere(); // from the Reconnect beside the reason
    assert.equal(await healthBadge().innerText(), 'Healthy');
    await page.goto(`${app.url}/tasks?attention=1`);
    await page.getByText('Nothing needs attention').waitFor();
    await screenshot(page, '16-nothing-needs-attention');
  });

  test('eviction: a sixth connection as the same Salesforce user revokes the oldest, and the page says which', async () => {
    // "Nightly account sync" holds the user's oldest live connection (its reconnect above); the
    // others were revoked. Five more Tasks connect as the same user: the fifth is the sixth
    // connection, and Salesforce keeps five.
    const others = [
      'Weekly contact export',
      'Lead import',
      'Case archive',
      'Opportunity report',
      'Quote sync',
    ];
    for (const name of others) {
      await page.goto(`${app.url}/tasks`);
      if (name !== 'Weekly contact export') await createTask(name);
      await page.getByRole('link', { name, exact: true }).click();
      await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
      await connectHere();
    }

    const warning = page
      .getByRole('alert')
      .filter({ hasText: 'Connecting this Task disconnected' });
    await warning.waitFor();
    assert.equal(
      await warning.locator('.slds-notify__content').innerText(),
      "Connecting this Task disconnected 'Nightly account sync', because Salesforce allows five connections per user for this app.",
    );
    await screenshot(page, '17-eviction-warning');

    await page.goto(taskUrl);
    assert.equal(await healthBadge().innerText(), 'Reconnect needed');
    assert.match(await healthReason().innerText(), /(five|5) connections per user/);
    await healthReason().getByRole('button', { name: 'Reconnect' }).waitFor();
    await page
      .getByRole('list', { name: 'Connection history' })
      .getByText(/connected as the same Salesforce user/)
      .waitFor();
    await screenshot(page, '18-evicted-task');
  });

  describe('webhooks', () => {
    let hookUrl: string;
    let secret: string;

    const endpointRow = () => page.locator('tr[data-webhook-id]', { hasText: hookUrl });
    const deliveries = () => page.getByRole('table', { name: `Deliveries to ${hookUrl}` });
    const testDelivery = () =>
      deliveries().locator('tr[data-delivery-id]', { hasText: 'webhook.test' });
    /** The `webhook.test` requests the receiver got (connection events may arrive too). */
    const testRequests = () =>
      receiver.received.filter(
        (request) => (JSON.parse(request.body) as { type: string }).type === 'webhook.test',
      );
    const verified = (request: ReceivedRequest) =>
      new Webhook(secret).verify(request.body, request.headers) as { type: string };

    test('create a webhook: the signing secret is shown once, with what it is for', async () => {
      hookUrl = `${receiver.url}/hook`;
      await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
      await page.waitForURL('**/webhooks');
      await page.getByTestId('webhooks-empty').waitFor();
      for (const type of ['connection.connected', 'connection.reconnect_needed']) {
        assert.ok(await page.getByRole('checkbox', { name: type }).isChecked(), type);
      }
      assert.equal(await page.getByRole('checkbox', { name: 'webhook.test' }).count(), 0);
      await page.getByLabel('Endpoint URL').fill(hookUrl);
      await page.getByLabel('Description').fill('e2e receiver');
      await screenshot(page, '19-webhook-form');
      await page.getByRole('button', { name: 'Create webhook' }).click();

      const notice = page.getByTestId('new-webhook-secret');
      await notice.waitFor();
      secret = await page.getByLabel('Signing secret').inputValue();
      assert.match(secret, /^whsec_[A-Za-z0-9+/=]{20,}$/);
      assert.match(await notice.innerText(), /You will not be able to see it again/);
      assert.match(await notice.innerText(), /verify signatures/);
      await endpointRow().waitFor();
      assert.match(await endpointRow().innerText(), /All connection events/);
      assert.ok(await endpointRow().getByRole('checkbox').isChecked());
      await dismissToasts(page);
      await screenshot(page, '20-webhook-secret-once');

      await page.reload();
      await endpointRow().waitFor();
      assert.equal(await page.getByTestId('new-webhook-secret').count(), 0);
      assert.equal(await page.getByLabel('Signing secret').count(), 0);
      assert.ok(!(await page.content()).includes(secret), 'the secret is gone after a reload');
    });

    test('send a test event: delivered, signed with the secret, and Redeliver sends it again with the same webhook-id', async () => {
      await endpointRow().getByRole('button', { name: 'Send test event' }).click();
      await toast(`Test event queued for ${hookUrl}.`).waitFor();
      await testDelivery().locator('.slds-badge', { hasText: 'Succeeded' }).waitFor();
      const first = await eventually(() => testRequests()[0], 'the test event');
      assert.equal(first.method, 'POST');
      assert.equal(first.path, '/hook');
      assert.match(first.headers['content-type'], /^application\/json/);
      assert.equal(verified(first).type, 'webhook.test');
      assert.throws(() =>
        new Webhook(`whsec_${Buffer.from('not the secret').toString('base64')}`).verify(
          first.body,
          first.headers,
        ),
      );
      assert.match(await testDelivery().innerText(), /HTTP 200/);
      await testDelivery().getByRole('button', { name: 'Payload' }).click();
      assert.match(await deliveries().locator('pre').innerText(), /"type": "webhook\.test"/);
      await dismissToasts(page);
      await screenshot(page, '21-webhook-test-delivered');

      await testDelivery().getByRole('button', { name: 'Redeliver' }).click();
      await toast('Sending webhook.test again.').waitFor();
      const second = await eventually(() => testRequests()[1], 'the redelivery');
      assert.equal(second.headers['webhook-id'], first.headers['webhook-id']);
      assert.match(first.headers['webhook-id'], /^msg_/);
      assert.equal(verified(second).type, 'webhook.test');
      await page.getByTestId('deliveries-polling').waitFor({ state: 'detached' });
      await testDelivery().locator('.slds-badge', { hasText: 'Succeeded' }).waitFor();
      await dismissToasts(page);
      await screenshot(page, '22-webhook-redelivered');
    });
  });

  describe('API tokens', () => {
    const TOKEN_NAME = 'Quote proxy';
    const SCOPED_TASK = 'Quote sync'; // connected (and healthy) in the eviction step
    let token: string;
    let scopedTaskId: string;

    /** Calls the API from this process, as another service would, with the token. */
    const callApi = (path: string, init: RequestInit = {}) =>
      fetch(`${app.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
      });
    const form = () => page.locator('app-token-create-form');
    /** Clicks a checkbox's or radio's visible label (SLDS hides the native input under it). */
    const pick = (label: string) => form().getByText(label, { exact: true }).click();
    const tokenRow = () => page.getByRole('row').filter({ hasText: TOKEN_NAME });

    test('create a token for one Task that may only read and call Salesforce, expiring in 30 days', async () => {
      await page.getByRole('link', { name: 'API tokens', exact: true }).click();
      await page.waitForURL('**/tokens');
      await form().getByLabel('Token name').fill(TOKEN_NAME);
      const scope = (name: string) => form().getByRole('checkbox', { name, exact: true });
      for (const name of ['tasks:read', 'tasks:write', 'salesforce:test', 'salesforce:proxy']) {
        assert.ok(await scope(name).isChecked(), `${name} is ticked by default`);
      }
      assert.equal(await scope('webhooks:manage').isChecked(), false);
      await pick('tasks:write');
      await pick('salesforce:test');
      assert.ok(await form().getByRole('radio', { name: 'All Tasks' }).isChecked());
      await pick('Only these Tasks');
      await form().getByRole('checkbox', { name: SCOPED_TASK, exact: true }).waitFor();
      await pick(SCOPED_TASK);
      await form().getByLabel('Expires', { exact: true }).selectOption('30');
      await form()
        .getByText(/It stops working on/)
        .waitFor();
      await screenshot(page, '23-token-form-scoped');
      await form().getByRole('button', { name: 'Create token' }).click();

      const notice = page.getByTestId('new-token');
      await notice.waitFor();
      token = await page.getByLabel('Your new API token').inputValue();
      assert.match(token, /^tsk_/);
      assert.match(await notice.innerText(), /You will not be able to see it again/);
      await tokenRow().getByText(SCOPED_TASK, { exact: true }).waitFor(); // its Tasks, by name
      const row = await tokenRow().innerText();
      assert.match(row, /tasks: read · salesforce: proxy/);
      const in30Days = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString('en-US', {
        month: 'short',
        day: 'numeric',
        year: 'numeric',
      });
      assert.ok(row.includes(in30Days), `expires ${in30Days}: ${row}`);
      assert.equal(await tokenRow().getByText('Expired').count(), 0);
      await dismissToasts(page);
      await screenshot(page, '24-token-created');

      // Another service, with the token: it sees that one Task, and no other.
      const list = await callApi('/api/tasks');
      assert.equal(list.status, 200);
      const { tasks } = (await list.json()) as { tasks: { id: string; name: string }[] };
      assert.deepEqual(
        tasks.map((task) => task.name),
        [SCOPED_TASK],
      );
      scopedTaskId = tasks[0].id;
      const otherTaskId = new URL(taskUrl).pathname.split('/').pop()!;
      assert.equal((await callApi(`/api/tasks/${otherTaskId}`)).status, 404);
      assert.equal((await callApi(`/api/tasks/${scopedTaskId}`)).status, 200);

      // …and may not test its connection: salesforce:test was not granted.
      const refused = await callApi(`/api/tasks/${scopedTaskId}/sfdc/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(refused.status, 403);
      const { error } = (await refused.json()) as { error: { code: string } };
      assert.equal(error.code, 'insufficient_scope');
    });

    test("calls through the proxy: the Task page shows the org's API requests today", async () => {
      for (let i = 0; i < 5; i++) {
        const res = await callApi(
          `/api/tasks/${scopedTaskId}/sfdc/proxy/services/data/v62.0/limits`,
        );
        assert.equal(res.status, 200, `proxied call ${i + 1}`);
        const limits = (await res.json()) as { DailyApiRequests?: { Max: number } };
        assert.ok(limits.DailyApiRequests, 'Salesforce answered its limits');
      }

      // The backend writes the usage on its first sight and then at most once a minute: reload
      // until the page has it.
      await page.goto(`${app.url}/tasks/${scopedTaskId}`);
      const bar = salesforceCard().getByRole('progressbar', {
        name: 'Salesforce API requests today',
      });
      const deadline = Date.now() + 90_000;
      for (;;) {
        await salesforceCard().getByRole('button', { name: 'Test connection' }).waitFor();
        if ((await bar.count()) > 0) break;
        if (Date.now() > deadline) throw new Error('timed out waiting for the API usage bar');
        await page.waitForTimeout(2000);
        await page.reload();
      }
      const usage = salesforceCard().getByTestId('api-usage');
      assert.match(await usage.innerText(), /^[\d,]+ of [\d,]+ API requests today/m);
      const used = Number(await bar.getAttribute('aria-valuenow'));
      const limit = Number(await bar.getAttribute('aria-valuemax'));
      assert.ok(used >= 1 && limit > used, `${used} of ${limit}`);
      assert.match((await bar.getAttribute('aria-valuetext')) ?? '', / of .+\(\d+%\)$/);
      assert.match((await usage.getAttribute('title')) ?? '', /^Measured /);
      assert.equal(await usage.getAttribute('data-level'), 'normal');
      await screenshot(page, '25-task-api-usage');
    });

    test('the API documentation lists the Salesforce proxy', async () => {
      await page.goto(`${app.url}/api/docs`);
      await page
        .locator('.opblock-summary-path[data-path="/api/tasks/{taskId}/sfdc/proxy/{path}"]')
        .first()
        .waitFor();
      await screenshot(page, '26-api-docs');
    });
  });

  describe('connecting as an integration user (JWT bearer)', () => {
    const jwtForm = () => salesforceCard().getByTestId('jwt-bearer-form');
    /** On the Task list: a new Task, opened, with the integration-user form filled in and sent. */
    const connectAsIntegrationUser = async (taskName: string, username: string) => {
      await page.goto(`${app.url}/tasks`);
      await createTask(taskName);
      await page.getByRole('link', { name: taskName, exact: true }).click();
      await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
      await salesforceCard()
        .getByRole('button', { name: 'Connect as an integration user' })
        .click();
      await jwtForm().getByRole('radio', { name: 'Production' }).waitFor();
      assert.ok(await jwtForm().getByRole('radio', { name: 'Production' }).isChecked());
      await jwtForm().getByLabel('Salesforce username').fill(username);
      await jwtForm().getByRole('button', { name: 'Connect', exact: true }).click();
    };

    test('connect a new Task as grace@acme.example: no sign-in page, connected as an integration user', async () => {
      await connectAsIntegrationUser('Integration user sync', 'grace@acme.example');
      await salesforceCard()
        .getByTestId('connection-type')
        .getByText('Connected as an integration user (server-to-server)')
        .waitFor();
      await toast(/Connected to Salesforce as the integration user grace@acme\.example/).waitFor();
      assert.match(
        await salesforceCard().getByTestId('connection-details').innerText(),
        /grace@acme\.example/,
      );
      assert.equal(await healthBadge().innerText(), 'Healthy');
      assert.equal(await jwtForm().count(), 0);
      await dismissToasts(page);
      await screenshot(page, '27-integration-user-connected');

      await salesforceCard().getByRole('button', { name: 'Test connection' }).click();
      await toast(/Connection test passed: .*grace@acme\.example/).waitFor();
      await salesforceCard()
        .getByTestId('connection-last-test')
        .getByText('Last test passed')
        .waitFor();
      await screenshot(page, '28-integration-user-tested');
    });

    test('an integration user not pre-authorized for the app: the form says so, keeping the values', async () => {
      await controlEmulator(app, 'jwt-preauthorized', {
        username: 'ada@acme.example',
        authorized: false,
      });
      try {
        await connectAsIntegrationUser('Unapproved integration', 'ada@acme.example');
        const refusal = jwtForm().getByRole('alert');
        await refusal.waitFor();
        assert.match(await refusal.innerText(), /pre-authorized/);
        assert.equal(
          await jwtForm().getByLabel('Salesforce username').inputValue(),
          'ada@acme.example',
        );
        assert.equal(
          await salesforceCard().getByRole('button', { name: 'Test connection' }).count(),
          0,
        );
        await dismissToasts(page);
        await screenshot(page, '29-integration-user-refused');
      } finally {
        await controlEmulator(app, 'jwt-preauthorized', {
          username: 'ada@acme.example',
          authorized: true,
        });
      }
    });
  });
});
