import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, MEMBER, Rig, textOf } from '../rig/harness.js';

// Issue 15: a reader was shown "Turn off" on a flag card, and the click only refused them. The card now says at once
// what a reader may do; writers and admins keep the button.
let rig: Rig;
beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const actionTexts = (reply: { body: { blocks?: unknown } }) =>
  ((reply.body.blocks ?? []) as Array<{ type: string; elements?: Array<{ text?: { text?: string } }> }>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.text?.text);

describe('the flag card by role', () => {
  it('gives a reader no Turn off button, and says why', async () => {
    const reply = await rig.ask('flag dark-mode', { user: MEMBER });
    expect(actionTexts(reply)).toEqual(['Open in PostHog']);
    expect(textOf(reply)).toContain('needs the writer role');
  });

  it('keeps Turn off for an admin', async () => {
    const reply = await rig.ask('flag dark-mode', { user: ADMIN });
    expect(actionTexts(reply)).toContain('Turn off');
    expect(textOf(reply)).not.toContain('needs the writer role');
  });
});
