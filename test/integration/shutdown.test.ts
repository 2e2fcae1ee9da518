import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

describe('graceful shutdown', () => {
  it('stop() waits for work that was acked, so its answer still arrives', async () => {
    // A slow PostHog: the command is acked at once, then waits on upstream while the process is told to stop.
    rig.emulator.faults.latency(400, 'always', '/posthog/');
    const { ack, responseUrl } = await rig.slash('whoami');
    expect(ack.status).toBe(200);
    await rig.hogbot.stop();
    const answered = rig.slack.responses.filter((r) => r.url === responseUrl);
    expect(answered).toHaveLength(1);
    expect(textOf(answered[0]!)).toContain('Acme');
    rig.emulator.faults.clear();
  });
});
