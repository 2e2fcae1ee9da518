import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium: `.ci/run` installs it; locally `apt-get install -y chromium`. No browser download, ever. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-output', 'sandbox');
export const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

/** Why the browser tests cannot run here, or null when they can. */
export const chromiumProblem = existsSync(CHROMIUM_PATH) ? null : `${CHROMIUM_PATH} is missing (apt-get install -y chromium)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Types into the composer and sends, as a person would. */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('#composer-input');
  await box.fill(text);
  await box.press('Escape');
  await box.press('Enter');
}

/** The newest message from the bot whose text contains `text`. */
export function botMessage(page: Page, text: string | RegExp): Locator {
  return page.locator('#messages .message[data-kind="bot"]').filter({ hasText: text }).last();
}
