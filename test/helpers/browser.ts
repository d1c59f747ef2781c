/** Debian's chromium, driven by playwright-core, for the browser tests (scripts/ensure-test-tools.sh installs it). */
import { chromium, type Browser } from 'playwright-core';

export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs `work` with a fresh headless browser, closed afterwards whatever happens. */
export async function withBrowser(work: (b: Browser) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath, args: FLAGS, timeout: 60_000 });
  try {
    await work(browser);
  } finally {
    await browser.close();
  }
}
