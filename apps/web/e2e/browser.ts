import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); `CHROMIUM_PATH` overrides it. Browsers are never downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * Launches the system Chromium headless (Playwright gives every launch a fresh temporary profile and
 * removes it on close).
 * @throws Error with the install command when the executable is missing: the end-to-end test must fail,
 * not skip, on a machine without it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the web end-to-end test drives the system browser. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH); browsers are never downloaded.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
