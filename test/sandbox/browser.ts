import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import { DEFAULT_DATASET } from '../../src/emulator/server.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/start.js';

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

export interface SandboxPage {
  sandbox: Sandbox;
  browser: Browser;
  page: Page;
  /** Closes the browser, stops the sandbox and removes its data. */
  close(): Promise<void>;
}

/** A sandbox on a free port with its own data folder, and Chromium on its page once the page says it is ready. */
export async function openSandboxPage(name: string, pageOptions: BrowserContextOptions = {}): Promise<SandboxPage> {
  if (chromiumProblem) throw new Error(`Chromium is required in CI: ${chromiumProblem}`);
  const tempDir = await mkdtemp(join(tmpdir(), `hogbot-${name}-`));
  const sandbox = await startSandbox({
    env: { PORT: '0' },
    databaseUrl: join(tempDir, 'sandbox.sqlite'),
    dataset: DEFAULT_DATASET,
    print: () => {},
  });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1320, height: 900 }, ...pageOptions });
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto(sandbox.url);
  await page.waitForSelector('body[data-ready="true"]');
  return {
    sandbox,
    browser,
    page,
    close: async () => {
      await browser.close();
      await sandbox.stop();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
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
