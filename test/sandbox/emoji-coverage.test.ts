import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 15 item 7: every :shortcode: Hogbot can emit must render as an emoji in the sandbox page, not as text.
// The shortcodes are collected from the source the bot's messages are built from.
const { emoji } = (await import(pathToFileURL(`${process.cwd()}/src/sandbox/public/mrkdwn.js`).href)) as {
  emoji: (html: string) => string;
};

/** Strings that look like shortcodes but are not emoji: SQLite's in-memory path, a date-fns pattern. */
const NOT_EMOJI = new Set(['memory', 'mm']);
const SOURCES = ['views', 'commands', 'src'];
const SKIP = /^src\/(sandbox|fake-slack|emulator)\//;

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await tsFiles(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
  }
  return out;
}

describe('emoji the bot uses', () => {
  it('are all in the page’s emoji table', async () => {
    const found = new Map<string, string>();
    for (const root of SOURCES) {
      for (const file of await tsFiles(root)) {
        if (SKIP.test(file)) continue;
        for (const m of (await readFile(file, 'utf8')).matchAll(/:([a-z][a-z0-9_+-]*):/g)) {
          if (!NOT_EMOJI.has(m[1]!)) found.set(m[1]!, file);
        }
      }
    }
    // The known offenders from the issue must be among what was collected, or the scan is broken.
    for (const name of ['email', 'star', 'file_cabinet', 'spiral_calendar_pad', 'white_check_mark'])
      expect(found.has(name), name).toBe(true);
    const missing = [...found].filter(([name]) => emoji(`:${name}:`) === `:${name}:`).map(([name, file]) => `:${name}: (${file})`);
    expect(missing).toEqual([]);
  });
});
