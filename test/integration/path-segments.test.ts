/**
 * path`` refuses `.`, `..` and empty segments (a URL parser resolves them, even as %2E) with a typed error that
 * guarded() answers in one sentence, so no command that puts typed input into a PostHog path can answer
 * "internal error" (issue 11 item 7, generalised from `recording ..` and `connection show .`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guarded } from '../../src/dispatch.js';
import { path } from '../../src/posthog/path.js';
import type { CommandContext } from '../../src/registry/command.js';
import { Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
  await rig.hogbot.scheduler.stop();
});
afterAll(async () => {
  await rig?.close();
});

describe('dot segments typed into a command', () => {
  const commands = [
    'flag show ..',
    'flag show .',
    'flag rollout .. 50',
    'flag delete ..',
    'dashboard ..',
    'cohort ..',
    'survey .',
    'survey ..',
    'insight ..',
    'person ..',
    'experiment ..',
    'action ..',
    'digest show ..',
    'recording ..',
    'connection show ..',
    'project use ..',
    'flag restore ..',
    'dashboard rename .. New name',
    'annotation delete ..',
    'connection use ..',
    'connection disconnect .',
  ];
  for (const command of commands) {
    it(`/ph ${command} answers one clear ephemeral sentence`, async () => {
      const reply = await rig.ask(command);
      const text = textOf(reply);
      expect(reply.body.response_type ?? 'ephemeral').toBe('ephemeral');
      expect(text).not.toContain('went wrong on Hogbot');
      expect(text).not.toMatch(/internal error|ref [0-9a-f]{8}/i);
      expect(text.length).toBeGreaterThan(10);
      expect(text.length).toBeLessThan(600);
    });
  }
});

describe('guarded() and path``', () => {
  // Every command runs inside guarded(); a path built from a dot segment anywhere below it becomes this sentence.
  const errors: unknown[][] = [];
  const ctx = {
    logger: { error: (...a: unknown[]) => errors.push(a), warn: () => undefined, info: () => undefined },
  } as unknown as CommandContext;

  it('answers a `..` or `.` segment as one sentence, not an internal error with a reference', async () => {
    for (const segment of ['..', '.']) {
      const { message, ok } = await guarded(ctx, 'test', async () => {
        path`/api/projects/1/feature_flags/${segment}/`;
        throw new Error('unreachable');
      });
      expect(ok).toBe(false);
      expect(message.text).toBe(`\`${segment}\` is not a valid id or key.`);
    }
    const { message } = await guarded(ctx, 'test', async () => ({ text: path`/api/projects/${''}/` }));
    expect(message.text).toBe('An empty id or key is not valid.');
    expect(errors).toHaveLength(0);
  });
});
