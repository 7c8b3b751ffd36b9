import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startAppInChromium, stopAppInChromium } from './app-in-chromium';
import type { AppUnderTest } from './app-under-test';
import { missingBrowserReason, screenshot } from './browser';

const skip = missingBrowserReason();
if (skip) console.log(`# e2e skipped: ${skip}`);

const EMAIL = 'e2e-account@example.com';
const FIRST_PASSWORD = 'the first long password';
const NEW_PASSWORD = 'a brand new passphrase';

/**
 * The account page in real Chromium, with a second browser (its own context, so its own cookie)
 * signed in to the same account: a password change signs it out, "Sign out" in the list signs it
 * out, and deleting the account revokes the Salesforce connection and ends everything.
 */
describe('the account page in the browser', { skip }, () => {
  let app: AppUnderTest;
  let browser: Browser;
  let page: Page;
  let second: BrowserContext | undefined;

  before(async () => {
    ({ app, browser, page } = await startAppInChromium());
  });
  after(() => stopAppInChromium({ app, browser }));

  const toast = (target: Page, text: RegExp | string) =>
    target.getByRole('status').or(target.getByRole('alert')).filter({ hasText: text }).first();
  const browserRows = () => page.locator('tr[data-session-id]');

  /** Signs in on a fresh page of `target` and waits for the Task list. */
  const signIn = async (target: Page, password: string) => {
    await target.goto(`${app.url}/login`);
    await target.getByLabel('Email').fill(EMAIL);
    await target.getByLabel('Password').fill(password);
    await target.getByRole('button', { name: 'Sign in' }).click();
  };
  /** A second browser signed in to the same account. */
  const signInElsewhere = async (password: string): Promise<Page> => {
    await second?.close();
    second = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const other = await second.newPage();
    await signIn(other, password);
    await other.waitForURL('**/tasks');
    return other;
  };
  /** Reloads a protected page: a signed-out browser lands on sign-in. */
  const expectSignedOut = async (other: Page) => {
    await other.goto(`${app.url}/tasks`);
    await other.waitForURL('**/login**');
    await other.getByRole('button', { name: 'Sign in' }).waitFor();
  };
  const revocations = async (): Promise<number> => {
    const res = await fetch(`${app.emulatorControlUrl}/calls`);
    return ((await res.json()) as { counts: Record<string, number> }).counts.revoke ?? 0;
  };

  test('sign up, create a Task and connect it (the consent page: Allow)', async () => {
    await page.goto(`${app.url}/register`);
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password').fill(FIRST_PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/tasks');
    await page.getByLabel('Name').fill('Account sync');
    await page.getByRole('button', { name: 'Create task' }).click();
    await page.getByRole('link', { name: 'Account sync' }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const taskUrl = page.url();
    await page.getByRole('button', { name: 'Connect to Salesforce' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(taskUrl);
    await page.getByRole('button', { name: 'Test connection' }).waitFor();
  });

  test('change the password: a toast, and the other browser is signed out', async () => {
    const other = await signInElsewhere(FIRST_PASSWORD);

    await page.getByTestId('header-email').click(); // the email in the header leads to Account
    await page.waitForURL('**/account');
    await browserRows().nth(1).waitFor(); // both browsers listed
    await screenshot(page, 'account-01-two-browsers');
    await page.getByLabel('Current password').fill(FIRST_PASSWORD);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await toast(page, 'Password changed; other browsers were signed out.').waitFor();
    await screenshot(page, 'account-02-password-changed');

    await expectSignedOut(other);
    // The list is loaded again: only this browser is left.
    await browserRows().filter({ hasNotText: 'This browser' }).waitFor({ state: 'detached' });
    assert.equal(await browserRows().count(), 1);
  });

  test('"Sign out" in the list of browsers signs that browser out', async () => {
    const other = await signInElsewhere(NEW_PASSWORD);
    await page.reload();
    const otherRow = browserRows().filter({ hasNotText: 'This browser' });
    await otherRow.waitFor();
    assert.equal(await browserRows().count(), 2);

    await otherRow.getByRole('button', { name: /^Sign out/ }).click();
    await toast(page, /was signed out\./).waitFor();
    await otherRow.waitFor({ state: 'detached' });
    await screenshot(page, 'account-03-browser-signed-out');

    await expectSignedOut(other);
  });

  test('delete the account: the modal asks for the password, the connection is revoked, and the old credentials no longer sign in', async () => {
    const revokedBefore = await revocations();

    await page.getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /revoked at Salesforce first/);
    await dialog.getByLabel('Password').fill(NEW_PASSWORD);
    await screenshot(page, 'account-04-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete account' }).click();

    await page.waitForURL('**/login');
    await toast(page, 'Your account was deleted.').waitFor();
    await screenshot(page, 'account-05-deleted');
    assert.equal(await revocations(), revokedBefore + 1);

    await signIn(page, NEW_PASSWORD);
    await page.getByText('Wrong email or password').waitFor();
    assert.match(page.url(), /\/login/);
  });
});
