import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { controlEmulator, startAppUnderTest, type AppUnderTest } from './app-under-test';
import { launchBrowser, missingBrowserReason, screenshot } from './browser';

const skip = missingBrowserReason();
if (skip) console.log(`# e2e skipped: ${skip}`);

/**
 * The whole journey in real Chromium against the app as `npm start` runs it, on the built-in
 * Salesforce emulator. Steps share one browser and build on each other, like a person would.
 */
describe('connecting a Task to Salesforce in the browser', { skip }, () => {
  let app: AppUnderTest;
  let browser: Browser;
  let page: Page;
  let taskUrl: string;

  before(async () => {
    app = await startAppUnderTest();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
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
    assert.match(await salesforceCard().innerText(), /built-in emulator/);
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
    await salesforceCard()
      .getByText(/Reconnect needed/)
      .waitFor();
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
});
