import { z } from 'zod';
import { checkMessage } from '../block-kit.js';
import { mediaType, parseMultipart } from '../body.js';
import { authOf, fail, missing, rejectBlocks, str, type FakeState, type MethodSpec } from '../state.js';
import type { FakeMessage, FakeUpload } from '../types.js';

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  csv: 'text/csv',
  json: 'application/json',
  txt: 'text/plain',
};

const extensionOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? 'txt';

const CompleteFiles = z.array(z.object({ id: z.string().min(1), title: z.string().optional() })).min(1);

export const uploadPath = (fileId: string) => `/upload/v1/${encodeURIComponent(fileId)}`;

/** A file object like the ones files.completeUploadExternal returns. */
function fileObject(state: FakeState, upload: FakeUpload, userId: string): Record<string, unknown> {
  const ext = extensionOf(upload.filename);
  const created = Math.floor(state.now().getTime() / 1000);
  return {
    id: upload.id,
    created,
    timestamp: created,
    name: upload.filename,
    title: upload.title,
    mimetype: MIME[ext] ?? 'application/octet-stream',
    filetype: ext,
    pretty_type: ext.toUpperCase(),
    user: userId,
    mode: 'hosted',
    is_external: false,
    is_public: upload.channel !== undefined && upload.channel.startsWith('C'),
    size: upload.bytes.length,
    url_private: `${state.baseUrl}/files/${upload.id}/${encodeURIComponent(upload.filename)}`,
    permalink: `${state.baseUrl}/files/${upload.id}`,
    channels: upload.channel === undefined ? [] : [upload.channel],
  };
}

/**
 * The upload URL handed out by files.getUploadURLExternal. @slack/web-api 8 posts multipart/form-data with the
 * bytes in a file field; Slack also accepts the raw bytes as the body, so both work here.
 */
export async function receiveUpload(
  state: FakeState,
  fileId: string,
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ status: number; body: string }> {
  const upload = state.uploads.get(fileId);
  if (!upload || upload.completed) return { status: 404, body: 'file_not_found' };
  let bytes = raw;
  if (mediaType(contentType) === 'multipart/form-data' && contentType !== undefined) {
    const form = await parseMultipart(raw, contentType);
    const file = [...form.values()].find((v) => typeof v !== 'string');
    if (file === undefined || typeof file === 'string') return { status: 400, body: 'no_file_data' };
    bytes = Buffer.from(await file.arrayBuffer());
  }
  upload.bytes = bytes;
  upload.received = true;
  return { status: 200, body: `OK - ${bytes.length}` };
}

export const fileMethods: Record<string, MethodSpec> = {
  'files.getUploadURLExternal': {
    needsToken: true,
    handle(ctx) {
      const filename = str(ctx.args, 'filename');
      const length = Number(ctx.args.length);
      if (filename === undefined) return missing('filename');
      if (!Number.isInteger(length) || length <= 0) return missing('length');
      const id = ctx.state.nextId('F');
      const altText = str(ctx.args, 'alt_text');
      ctx.state.uploads.set(id, {
        id,
        filename,
        title: filename,
        bytes: Buffer.alloc(0),
        declaredLength: length,
        received: false,
        completed: false,
        ...(altText === undefined ? {} : { altText }),
      });
      return { ok: true, upload_url: `${ctx.state.baseUrl}${uploadPath(id)}`, file_id: id };
    },
  },

  'files.completeUploadExternal': {
    needsToken: true,
    handle(ctx) {
      const auth = authOf(ctx);
      const files = CompleteFiles.safeParse(ctx.args.files);
      if (!files.success) return missing('files');
      const uploads: FakeUpload[] = [];
      for (const f of files.data) {
        const upload = ctx.state.uploads.get(f.id);
        if (!upload || !upload.received) return fail('file_not_found');
        uploads.push(upload);
      }
      const rawChannel = str(ctx.args, 'channel_id') ?? str(ctx.args, 'channels');
      const channel = rawChannel === undefined ? undefined : ctx.state.directory.resolveChannel(rawChannel);
      const threadTs = str(ctx.args, 'thread_ts');
      const comment = str(ctx.args, 'initial_comment');
      if (comment === undefined && ctx.args.blocks !== undefined) {
        const problem = checkMessage({ blocks: ctx.args.blocks }, ctx.state.options.blockTextLimit);
        if (problem) return rejectBlocks(problem);
      }
      files.data.forEach((f, i) => {
        const upload = uploads[i];
        if (!upload) return;
        upload.completed = true;
        upload.title = f.title ?? upload.filename;
        if (channel !== undefined) upload.channel = channel;
        if (threadTs !== undefined) upload.threadTs = threadTs;
        if (comment !== undefined) upload.initialComment = comment;
      });
      if (channel !== undefined) {
        const message: FakeMessage = {
          channel,
          ts: ctx.state.nextTs(),
          user: auth.userId,
          bot_id: auth.botId,
          via: 'files.completeUploadExternal',
          files: uploads.map((u) => ({ id: u.id, name: u.filename, title: u.title, size: u.bytes.length })),
          ...(comment === undefined ? {} : { text: comment }),
          ...(comment === undefined && Array.isArray(ctx.args.blocks) ? { blocks: ctx.args.blocks } : {}),
          ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        };
        ctx.state.conversations.post(message);
        ctx.state.recorder.changed({ kind: 'message', action: 'posted', channel, ts: message.ts });
      }
      return { ok: true, files: uploads.map((u) => fileObject(ctx.state, u, auth.userId)) };
    },
  },
};
