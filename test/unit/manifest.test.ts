import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MANIFEST_PATH, renderManifest } from '../../src/manifest.js';
import { loadRegistry } from '../../src/registry/load.js';
import { BOT_SCOPES } from '../../src/slack/scopes.js';

describe('manifest.yml', () => {
  it('is what the registry generates (run `npm run manifest` after adding a command)', async () => {
    const committed = await readFile(MANIFEST_PATH, 'utf8');
    expect(committed).toBe(renderManifest(await loadRegistry()));
  });

  it('declares one /ph command, the bot scopes the code uses, interactivity, events and App Home', async () => {
    const manifest = parse(await readFile(MANIFEST_PATH, 'utf8'));
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(manifest.features.slash_commands[0]).toMatchObject({ command: '/ph', should_escape: true });
    expect(manifest.features.slash_commands[0].usage_hint).toMatch(/help/);
    expect(manifest.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });
});
