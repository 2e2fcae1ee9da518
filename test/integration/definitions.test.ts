import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MORE_ACTION } from '../../views/pager.js';
import { RUN_COMMAND_ACTION } from '../../views/run-button.js';
import { buttonValue, Rig, textOf } from '../rig/harness.js';

let rig: Rig;

beforeAll(async () => {
  rig = await Rig.start();
});
afterAll(async () => {
  await rig?.close();
});

const dataset = () => rig.emulator.state.dataset(1001);

describe('/ph events', () => {
  it('lists the events of the dataset with their 30-day volume, and pages', async () => {
    const names = [...new Set(dataset().events.map((e) => e.event))].sort();
    const first = await rig.ask('events');
    expect(textOf(first)).toContain(`of ${names.length}`);
    const purchases = dataset().events.filter((e) => e.event === 'purchase').length;
    expect(textOf(await rig.ask('events purch'))).toContain(`purchase>*  last seen`);
    expect(textOf(await rig.ask('events purch'))).toContain(`${purchases.toLocaleString('en-US')} in 30 days`);
    if (names.length > 15) {
      const { responseUrl } = await rig.click(MORE_ACTION, buttonValue(first, MORE_ACTION));
      expect(textOf(await rig.replyOn(responseUrl))).toContain(names[names.length - 1]!);
    }
    expect(textOf(await rig.ask('events zzz-none'))).toContain('No events match “zzz-none”');
  });

  it('links each event to its properties', async () => {
    const reply = await rig.ask('events purchase');
    const command = buttonValue(reply, RUN_COMMAND_ACTION);
    expect(command).toBe('properties --event purchase');
    const props = textOf(await rig.clickAndWait(RUN_COMMAND_ACTION, command));
    expect(props).toContain('seen on `purchase`');
    const onPurchase = new Set(
      dataset()
        .events.filter((e) => e.event === 'purchase')
        .flatMap((e) => Object.keys(e.properties)),
    );
    const elsewhere = [...new Set(dataset().events.flatMap((e) => Object.keys(e.properties)))].filter((k) => !onPurchase.has(k));
    expect(props).toContain('`amount`');
    expect(elsewhere.length).toBeGreaterThan(0);
    for (const name of elsewhere) expect(props).not.toContain(`\`${name}\``);
  });
});

describe('/ph properties', () => {
  it('lists event properties by default, person properties with --type person', async () => {
    expect(textOf(await rig.ask('properties amount'))).toMatch(/`amount`>\s+Numeric/);
    const person = textOf(await rig.ask('properties email --type person'));
    expect(person).toContain('*Person properties* matching “email”');
    expect(person).toContain('`email`');
  });

  it('rejects a bad --type and answers empty searches', async () => {
    expect(textOf(await rig.ask('properties --type group'))).toContain('--type: must be event or person');
    expect(textOf(await rig.ask('properties zzz-none --type person'))).toContain('No person properties match “zzz-none”');
  });
});
