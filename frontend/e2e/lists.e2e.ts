import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startAppInChromium, stopAppInChromium } from './app-in-chromium';
import { controlEmulator, type AppUnderTest } from './app-under-test';
import { missingBrowserReason, screenshot } from './browser';

const skip = missingBrowserReason();
if (skip) console.log(`# e2e skipped: ${skip}`);

/** Tasks made for the list: more than one page (50). */
const BULK = 60;
/** The history shows 20 entries a page (see connection-history.ts). */
const HISTORY_PAGE = 20;

/**
 * Long lists in real Chromium: the Task list pages ("Load more") and searches, and a connection's
 * history shows older entries on demand. The many rows come through the API with the page's own
 * session (a person would click for minutes); what is checked is what the person sees.
 */
describe('long lists: paging and search in the browser', { skip }, () => {
  let app: AppUnderTest;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ app, browser, page } = await startAppInChromium());
  });
  after(() => stopAppInChromium({ app, browser }));

  const listedNames = () => page.locator('table[aria-label="Tasks"] tbody th a').allInnerTexts();
  const loadMore = () => page.getByRole('button', { name: 'Load more', exact: true });
  const history = () =>
    page.getByRole('list', { name: 'Connection history' }).locator(':scope > li');
  const salesforceCard = () =>
    page
      .locator('slds-card', { hasText: 'Salesforce' })
      .filter({ has: page.getByRole('heading', { name: 'Salesforce', exact: true }) });

  /** A JSON request from the page itself: its session cookie, its origin. */
  const callFromPage = (method: string, path: string, body?: unknown) =>
    page.evaluate(
      async ({ method, path, body }) => {
        const res = await fetch(path, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      },
      { method, path, body },
    );

  test(`sign up and make ${BULK + 2} Tasks: the list shows a page and "Load more"`, async () => {
    await page.goto(`${app.url}/register`);
    await page.getByLabel('Email').fill('e2e-lists@example.com');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/tasks');
    await page.getByTestId('tasks-empty').waitFor();

    const names = [
      'Quarterly revenue report',
      ...Array.from({ length: BULK }, (_, i) => `Bulk task ${String(i + 1).padStart(2, '0')}`),
      'Weekly REVENUE digest',
    ];
    for (const name of names) {
      assert.equal((await callFromPage('POST', '/api/tasks', { name })).status, 201, name);
    }
    await page.reload();
    await page.getByRole('link', { name: 'Weekly REVENUE digest', exact: true }).waitFor();

    assert.equal((await listedNames()).length, 50);
    assert.deepEqual((await listedNames()).slice(0, 3), [
      'Weekly REVENUE digest',
      'Bulk task 60',
      'Bulk task 59',
    ]);
    await loadMore().waitFor();
    await screenshot(page, 'lists-01-first-page');
  });

  test('"Load more" shows the rest, oldest last, and goes away', async () => {
    await loadMore().click();
    await page.getByRole('link', { name: 'Quarterly revenue report', exact: true }).waitFor();

    const names = await listedNames();
    assert.equal(names.length, BULK + 2);
    assert.equal(new Set(names).size, BULK + 2);
    assert.equal(names.at(-1), 'Quarterly revenue report');
    assert.equal(await loadMore().count(), 0);
    await screenshot(page, 'lists-02-all-loaded');
  });

  test('searching by name shows only the matches, whatever the case; clearing shows every Task again', async () => {
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    await search.fill('revenue');
    await page
      .getByRole('link', { name: 'Bulk task 60', exact: true })
      .waitFor({ state: 'detached' });

    assert.deepEqual(await listedNames(), ['Weekly REVENUE digest', 'Quarterly revenue report']);
    assert.equal(await loadMore().count(), 0);
    await screenshot(page, 'lists-03-search');

    await search.fill('no such task');
    await page.getByTestId('tasks-search-empty').waitFor();
    assert.match(
      await page.getByTestId('tasks-search-empty').innerText(),
      /No tasks match "no such task"/,
    );

    await search.fill('');
    await page.getByRole('link', { name: 'Bulk task 60', exact: true }).waitFor();
    assert.equal((await listedNames()).length, 50);
  });

  test(`a connected Task with more than ${HISTORY_PAGE} history entries: "Show older" shows the older ones`, async () => {
    await loadMore().click(); // the oldest Task is on the second page
    await page.getByRole('link', { name: 'Quarterly revenue report', exact: true }).click();
    await page.waitForURL(/\/tasks\/[0-9a-f-]{36}$/);
    const taskId = page.url().split('/').at(-1)!;
    await salesforceCard().getByRole('button', { name: 'Connect to Salesforce' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await salesforceCard().getByRole('button', { name: 'Test connection' }).waitFor();

    // 24 tests, the token expired before every sixth: 24 `tested` and 4 `refreshed` entries, plus `connected`.
    for (let i = 0; i < 24; i++) {
      if (i % 6 === 0) await controlEmulator(app, 'expire-access-tokens');
      const tested = await callFromPage('POST', `/api/tasks/${taskId}/sfdc/test`, {});
      assert.equal(tested.json.status, true, JSON.stringify(tested.json));
    }
    const recorded = (await callFromPage('GET', `/api/tasks/${taskId}/sfdc/events?limit=200`)).json
      .events as unknown[];
    assert.ok(
      recorded.length > HISTORY_PAGE && recorded.length <= 2 * HISTORY_PAGE,
      `${recorded.length} entries`,
    );
    await page.reload();
    await history().first().waitFor();

    assert.equal(await history().count(), HISTORY_PAGE);
    await page.getByRole('button', { name: 'Show older' }).click();
    await history().nth(HISTORY_PAGE).waitFor();
    assert.equal(await history().count(), recorded.length);
    assert.match(await history().last().innerText(), /Connected as/);
    assert.equal(await page.getByRole('button', { name: 'Show older' }).count(), 0);
    await screenshot(page, 'lists-04-history-older');
  });
});
