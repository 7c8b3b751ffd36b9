import type { Browser, Page } from 'playwright-core';
import { startAppUnderTest, type AppUnderTest } from './app-under-test';
import { launchBrowser } from './browser';

/** What a browser suite runs against: the app as `npm start` runs it, Chromium, and one desktop-sized page. */
export interface AppInChromium {
  app: AppUnderTest;
  browser: Browser;
  page: Page;
}

/** Starts the app, then Chromium and a page on it; if Chromium fails to start, the app is stopped again. */
export async function startAppInChromium(): Promise<AppInChromium> {
  const app = await startAppUnderTest();
  try {
    const browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    return { app, browser, page };
  } catch (err) {
    await app.stop();
    throw err;
  }
}

/** Closes what startAppInChromium opened (as much of it as had started). */
export async function stopAppInChromium(started: Partial<AppInChromium>): Promise<void> {
  await started.browser?.close();
  await started.app?.stop();
}
