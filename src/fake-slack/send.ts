import { signSlackRequest } from './sign.js';

export interface SendOptions {
  /** Seconds since the epoch for `x-slack-request-timestamp`; default now. Use an old one to test replay rejection. */
  timestamp?: number;
  /** Sign the body, then send a different one: `true` appends a harmless change, a function rewrites it. */
  tamper?: boolean | ((body: string) => string);
  /** Send without signature headers. */
  unsigned?: boolean;
  /** `x-slack-retry-num`, as Slack sets on Events API redeliveries. */
  retryNum?: number;
  /** `x-slack-retry-reason` (`http_timeout`, `http_error`, ...). */
  retryReason?: string;
  headers?: Record<string, string>;
}

export interface SendResult {
  status: number;
  /** The response body as text (Bolt acks with an empty body or JSON). */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  headers: Record<string, string>;
  /** Wall-clock time to the full response, for reporting ack latency (not for assertions). */
  ms: number;
}

function tampered(body: string, contentType: string, tamper: SendOptions['tamper']): string {
  if (typeof tamper === 'function') return tamper(body);
  if (!tamper) return body;
  return contentType.includes('json') ? `${body} ` : `${body}&tampered=1`;
}

/**
 * Signs a Slack request body and POSTs it to the app (e.g. `http://127.0.0.1:PORT/slack/events`).
 *
 * @example
 * const res = await sendToApp(appUrl, SECRET, slashCommand({ ... }));
 * expect(res.status).toBe(200);
 */
export async function sendToApp(
  appUrl: string,
  signingSecret: string,
  request: { contentType: string; body: string },
  opts: SendOptions = {},
): Promise<SendResult> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': request.contentType, ...opts.headers };
  if (!opts.unsigned) Object.assign(headers, signSlackRequest(signingSecret, request.body, timestamp));
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  const started = performance.now();
  const response = await fetch(appUrl, {
    method: 'POST',
    headers,
    body: tampered(request.body, request.contentType, opts.tamper),
  });
  const body = await response.text();
  const ms = performance.now() - started;
  let json: unknown;
  try {
    json = body === '' ? undefined : JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status: response.status, body, json, headers: Object.fromEntries(response.headers), ms };
}
