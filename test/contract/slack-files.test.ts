/**
 * Slack behaviours Hogbot's chart delivery depends on, checked against the fake Slack (src/fake-slack/).
 * Each test names where the real behaviour was read.
 */
import type { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, imChannelFor, startFakeSlack } from '../../src/fake-slack/index.js';
import { clientFor, slackError } from '../fake-slack/helpers.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const CHANNEL = 'C0CHARTS001';
const OTHER = 'C0OTHER0001';
const USER = 'U0VIEWER001';

let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack({
    users: [{ id: USER, name: 'vera' }],
    channels: [
      { id: CHANNEL, name: 'charts' },
      { id: OTHER, name: 'other' },
    ],
  });
});
beforeEach(() => fake.reset());
afterAll(async () => {
  await fake?.close();
});

const slack = () => clientFor(fake);
const fileBlock = (id: string) => [{ type: 'image', slack_file: { id }, alt_text: 'A chart' }];

async function upload(channel?: string, threadTs?: string): Promise<string> {
  const args = {
    file: PNG,
    filename: 'chart.png',
    title: 'Chart',
    ...(channel ? { channel_id: channel } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  };
  const res = (await slack().filesUploadV2(args as Parameters<WebClient['filesUploadV2']>[0])) as {
    files: Array<{ files?: Array<{ id: string }> }>;
  };
  return res.files[0]!.files![0]!.id;
}

async function responseUrlPost(url: string, body: unknown): Promise<{ status: number; error: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, error: ((await res.json()) as { error?: unknown }).error };
}

describe('Slack: a file uploaded without a channel cannot be shown in blocks', () => {
  // slackapi/python-slack-sdk#1658 (and #1797), slackapi/java-slack-sdk#1349 (and #1335), slackapi/bolt-python#1251:
  // chat.postMessage answers invalid_blocks, "invalid slack file [json-pointer:/blocks/0/slack_file]": without a
  // channel only the uploading bot can see the file.
  it('refuses it on chat.postMessage with the "invalid slack file" detail', async () => {
    const id = await upload();
    try {
      await slack().chat.postMessage({ channel: CHANNEL, text: 'chart', blocks: fileBlock(id) });
      expect.unreachable('posted a channel-less file');
    } catch (error) {
      const data = (error as { data: { error: string; response_metadata: { messages: string[] } } }).data;
      expect(data.error).toBe('invalid_blocks');
      expect(data.response_metadata.messages).toEqual(['[ERROR] invalid slack file [json-pointer:/blocks/0/slack_file]']);
    }
  });

  it('refuses it on chat.postEphemeral, chat.update, chat.unfurl, views.publish and response_url posts', async () => {
    const id = await upload();
    const client = slack();
    expect(await slackError(client.chat.postEphemeral({ channel: CHANNEL, user: USER, text: 'chart', blocks: fileBlock(id) }))).toBe(
      'invalid_blocks',
    );
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'no chart yet' });
    expect(await slackError(client.chat.update({ channel: CHANNEL, ts: posted.ts!, text: 'chart', blocks: fileBlock(id) }))).toBe(
      'invalid_blocks',
    );
    expect(
      await slackError(
        client.chat.unfurl({ channel: CHANNEL, ts: posted.ts!, unfurls: { 'https://x.test/a': { blocks: fileBlock(id) } } } as never),
      ),
    ).toBe('invalid_blocks');
    // views.* report block problems as invalid_arguments.
    expect(await slackError(client.views.publish({ user_id: USER, view: { type: 'home', blocks: fileBlock(id) } as never }))).toBe(
      'invalid_arguments',
    );
    expect(await responseUrlPost(fake.responseUrl({ channel: CHANNEL, user: USER }), { text: 'chart', blocks: fileBlock(id) })).toEqual({
      status: 400,
      error: 'invalid_blocks',
    });
  });

  it('also refuses a file that was shared in another conversation (stricter than Slack, on purpose)', async () => {
    const id = await upload(OTHER);
    expect(await slackError(slack().chat.postMessage({ channel: CHANNEL, text: 'chart', blocks: fileBlock(id) }))).toBe('invalid_blocks');
  });
});

describe('Slack: files.uploadV2 with channel_id shares the file into the conversation', () => {
  // docs.slack.dev/reference/methods/files.completeUploadExternal (channel_id, initial_comment, thread_ts) and
  // docs.slack.dev/tools/node-slack-sdk/web-api#upload-a-file: uploadV2 = getUploadURLExternal + upload + complete;
  // slackapi/node-slack-sdk#2261: uploadV2 also takes `blocks` to share with the file.
  it('posts a file message in the channel, and blocks there may then show the file', async () => {
    const id = await upload(CHANNEL);
    expect(fake.uploads.get(id)).toMatchObject({ completed: true, channel: CHANNEL });
    expect(fake.messages(CHANNEL).some((m) => m.files?.some((f) => f.id === id))).toBe(true);
    const ok = await slack().chat.postMessage({ channel: CHANNEL, text: 'chart', blocks: fileBlock(id) });
    expect(ok.ok).toBe(true);
  });

  it('shares into a thread with thread_ts, and into a DM by user id', async () => {
    const parent = await slack().chat.postMessage({ channel: CHANNEL, text: 'a link' });
    const inThread = await upload(CHANNEL, parent.ts!);
    expect(fake.uploads.get(inThread)).toMatchObject({ channel: CHANNEL, threadTs: parent.ts });
    const opened = await slack().conversations.open({ users: USER });
    const inDm = await upload(opened.channel!.id!);
    expect(fake.uploads.get(inDm)?.channel).toBe(imChannelFor(USER));
    // A Home tab counts as the user's DM with the app.
    expect((await slack().views.publish({ user_id: USER, view: { type: 'home', blocks: fileBlock(inDm) } as never })).ok).toBe(true);
  });
});

describe('Slack: image_url must be a public http(s) URL, and an image has exactly one source and alt text', () => {
  // docs.slack.dev/reference/block-kit/blocks/image-block: image_url ("The URL for a publicly hosted image", max 3000)
  // or slack_file, and alt_text (required, max 2000); python-slack-sdk#1782 shows Slack fetching image_url itself.
  it('accepts an https URL and refuses data:, relative and missing sources', async () => {
    const client = slack();
    const image = (extra: Record<string, unknown>) => [{ type: 'image', alt_text: 'A chart', ...extra }];
    expect(
      (
        await client.chat.postMessage({
          channel: CHANNEL,
          text: 'chart',
          blocks: image({ image_url: 'https://hogbot.example.com/images/a.png?exp=1&sig=x' }) as never,
        })
      ).ok,
    ).toBe(true);
    for (const bad of [
      { image_url: 'data:image/png;base64,iVBORw0' },
      { image_url: '/images/a.png' },
      {},
      { image_url: 'https://x.test/a.png', slack_file: { id: 'F1' } },
    ]) {
      expect(await slackError(client.chat.postMessage({ channel: CHANNEL, text: 'chart', blocks: image(bad) as never }))).toBe(
        'invalid_blocks',
      );
    }
    expect(
      await slackError(
        client.chat.postMessage({
          channel: CHANNEL,
          text: 'chart',
          blocks: [{ type: 'image', image_url: 'https://x.test/a.png' }] as never,
        }),
      ),
    ).toBe('invalid_blocks');
  });
});

describe('Slack: an image_url Slack cannot download fails the whole message', () => {
  // slackapi/python-slack-sdk#1782: chat.postMessage answers invalid_blocks,
  // "downloading image failed [json-pointer:/blocks/0/image_url]", when Slack can't fetch the image.
  it('refuses the message with the "downloading image failed" detail', async () => {
    const blind = await startFakeSlack({ imageDownload: (url) => !url.startsWith('https://unreachable.test/') });
    try {
      const client = clientFor(blind);
      const image = (url: string) => [{ type: 'image', image_url: url, alt_text: 'A chart' }];
      try {
        await client.chat.postMessage({ channel: CHANNEL, text: 'chart', blocks: image('https://unreachable.test/a.png') as never });
        expect.unreachable('posted an image Slack could not download');
      } catch (error) {
        const data = (error as { data: { error: string; response_metadata: { messages: string[] } } }).data;
        expect(data.error).toBe('invalid_blocks');
        expect(data.response_metadata.messages).toEqual(['[ERROR] downloading image failed [json-pointer:/blocks/0/image_url]']);
      }
      expect(
        (await client.chat.postMessage({ channel: CHANNEL, text: 'chart', blocks: image('https://reachable.test/a.png') as never })).ok,
      ).toBe(true);
    } finally {
      await blind.close();
    }
  });
});
