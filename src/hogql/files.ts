/**
 * Result files (CSV, chart PNG) through files.uploadV2. A private answer's files go to the caller's DM with the bot,
 * never to the channel: the data is theirs until they choose to `--share` it.
 */
import type { WebClient } from '@slack/web-api';

export interface OutgoingFile {
  filename: string;
  title: string;
  bytes: Buffer;
  altText?: string;
}

export interface PostedFile {
  name: string;
  permalink: string | null;
}

export interface FileDestination {
  where: 'dm' | 'channel';
  userId: string;
  channelId: string | null;
}

export async function postFiles(slack: WebClient, to: FileDestination, files: OutgoingFile[], comment: string): Promise<PostedFile[]> {
  const channel = to.where === 'channel' && to.channelId ? to.channelId : await dmWith(slack, to.userId);
  const answer = await slack.filesUploadV2({
    channel_id: channel,
    initial_comment: comment,
    file_uploads: files.map((f) => ({
      file: f.bytes,
      filename: f.filename,
      title: f.title,
      ...(f.altText ? { alt_text: f.altText } : {}),
    })),
  });
  const uploaded = answer.files.flatMap((r) => r.files ?? []);
  return files.map((f) => {
    const match = uploaded.find((u) => u.name === f.filename || u.title === f.title);
    return { name: f.filename, permalink: match?.permalink ?? null };
  });
}

async function dmWith(slack: WebClient, userId: string): Promise<string> {
  const opened = await slack.conversations.open({ users: userId });
  const id = opened.channel?.id;
  if (!id) throw new Error('conversations.open returned no channel');
  return id;
}
