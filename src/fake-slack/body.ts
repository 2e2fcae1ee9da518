import type { IncomingMessage } from 'node:http';

/**
 * Web API arguments arrive form-encoded (@slack/web-api's default), as JSON, as multipart, or in the query string.
 * Form bodies carry structured fields as JSON strings; these are the ones Slack documents that way.
 */
const JSON_STRING_FIELDS = new Set(['blocks', 'attachments', 'view', 'files', 'unfurls', 'metadata', 'user_auth_blocks']);

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Parses multipart with the platform's own parser rather than a hand-rolled one. */
export async function parseMultipart(raw: Buffer, contentType: string): Promise<FormData> {
  const request = new Request('http://fake.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: new Uint8Array(raw),
  });
  return request.formData();
}

function decodeJsonStrings(args: Record<string, unknown>): Record<string, unknown> {
  for (const key of JSON_STRING_FIELDS) {
    const value = args[key];
    if (typeof value !== 'string') continue;
    // Unparseable values stay strings so the method can answer Slack's `invalid_*_format` error.
    try {
      args[key] = JSON.parse(value);
    } catch {
      /* keep the string */
    }
  }
  return args;
}

/** Everything the caller sent, merged: query string first, then the body. */
export async function parseApiArgs(raw: Buffer, contentType: string | undefined, query: URLSearchParams): Promise<Record<string, unknown>> {
  const args: Record<string, unknown> = Object.fromEntries(query);
  const type = mediaType(contentType);
  if (raw.length === 0) return decodeJsonStrings(args);
  if (type === 'application/json') {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) Object.assign(args, parsed);
    return args;
  }
  if (type === 'multipart/form-data' && contentType !== undefined) {
    const form = await parseMultipart(raw, contentType);
    for (const [key, value] of form) {
      args[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer());
    }
    return decodeJsonStrings(args);
  }
  Object.assign(args, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
  return decodeJsonStrings(args);
}

/** Slack takes the token from `Authorization: Bearer` or from the `token` argument. */
export function extractToken(authorization: string | undefined, args: Record<string, unknown>): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  if (bearer) return bearer;
  return typeof args.token === 'string' && args.token !== '' ? args.token : undefined;
}

/** oauth.v2.access accepts client credentials as HTTP Basic auth as well as in the body. */
export function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}
