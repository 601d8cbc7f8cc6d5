import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { serveStatic, type StaticServer } from './static-server.js';

/** The web app's folder, its static build, and where the tests save screenshots. */
export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(APP_DIR, 'dist');
export const SCREENSHOTS_DIR = join(APP_DIR, 'screenshots');

/** One Chromium and one static server for a test file, and pages that record their uncaught errors. */
export interface E2eSession {
  /** The static server's base URL (valid inside tests). */
  readonly url: string;
  /** A new page of the given viewport; downloads accepted; uncaught page errors recorded. */
  newPage(width?: number, height?: number): Promise<Page>;
  /** Closes a page, failing the test if it threw anything uncaught. */
  closePage(page: Page): Promise<void>;
}

/**
 * Registers the file's `beforeAll` (check the build, launch Debian's Chromium, serve `dist/`) and `afterAll`
 * (close both), and returns the session the tests use.
 * @throws Error (in beforeAll) naming the build command when there is no build.
 */
export function useE2eSession(): E2eSession {
  let browser: Browser | undefined;
  let server: StaticServer | undefined;
  const pageErrors = new WeakMap<Page, string[]>();
  beforeAll(async () => {
    if (!existsSync(join(DIST_DIR, 'index.html'))) {
      throw new Error(`no build at ${DIST_DIR}: run \`pnpm --filter @intrinsic/web test\` (which builds first) or \`pnpm --filter @intrinsic/web build\``);
    }
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    browser = await launchChromium();
    server = await serveStatic(DIST_DIR);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get url() {
      if (!server) throw new Error('the static server is not running (use the session inside tests)');
      return server.url;
    },
    async newPage(width = 1440, height = 1000) {
      if (!browser) throw new Error('Chromium is not running (use the session inside tests)');
      const page = await browser.newPage({ viewport: { width, height }, acceptDownloads: true });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      pageErrors.set(page, problems);
      return page;
    },
    async closePage(page) {
      await page.close();
      expect(pageErrors.get(page), 'uncaught errors in the page').toEqual([]);
    },
  };
}
