import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZodError } from 'zod';
import type { Registry } from '../registry/registry.js';
import { actorOf, bootstrap, POST_HANDLERS, PageRequestError } from './api.js';
import { SandboxError } from './errors.js';
import { type LocalSlack, LocalSlackError } from './local-slack.js';
import type { SseHub } from './sse.js';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const MAX_BODY_BYTES = 256 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.csv': 'text/csv; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};
const INLINE = new Set(['.png', '.jpg', '.jpeg', '.gif', '.svg']);

export interface PageServerDeps {
  local: LocalSlack;
  hub: SseHub;
  registry: Registry;
  botUserId: string;
  /** The local Slack's base URL (file links point there). */
  slackUrl?: string;
  /** The bot's own HTTP origin: chart images (`/images/...`, src/images/route.ts) are passed on to it. */
  botOrigin?: string;
  logError: (message: string, error: unknown) => void;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  // A JSON content type makes a cross-site form post impossible without a CORS preflight, which is never answered.
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new PageRequestError(415, 'Send application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new PageRequestError(413, 'Request too large');
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new PageRequestError(400, 'Body is not JSON');
  }
}

async function serveStatic(res: ServerResponse, pathname: string): Promise<void> {
  const name = pathname === '/' ? 'index.html' : pathname.slice(1);
  // Only plain file names from the one folder: no traversal, no dot files.
  if (!/^[a-z0-9-]+\.[a-z]+$/.test(name)) return sendJson(res, 404, { error: 'not_found' });
  try {
    const bytes = await readFile(`${PUBLIC_DIR}${name}`);
    res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(bytes);
  } catch {
    sendJson(res, 404, { error: 'not_found' });
  }
}

/** Files the app uploaded to the local Slack: images inline, the rest as downloads. */
function serveUpload(res: ServerResponse, local: LocalSlack, id: string): void {
  const upload = local.upload(id);
  if (!upload?.completed) return sendJson(res, 404, { error: 'file_not_found' });
  const ext = extname(upload.filename).toLowerCase();
  const safeName = upload.filename.replace(/[^\w.-]+/g, '_');
  res.writeHead(200, {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-disposition': `${INLINE.has(ext) ? 'inline' : 'attachment'}; filename="${safeName}"`,
    // An uploaded SVG must not run script in the page's origin.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
  });
  res.end(upload.bytes);
}

/** A chart image from the bot, as Slack would fetch it from PUBLIC_URL: the bot checks the signature and expiry. */
async function passImage(res: ServerResponse, target: string): Promise<void> {
  const answer = await fetch(target, { signal: AbortSignal.timeout(10_000) });
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff' };
  for (const name of ['content-type', 'cache-control']) {
    const value = answer.headers.get(name);
    if (value) headers[name] = value;
  }
  res.writeHead(answer.status, headers);
  res.end(Buffer.from(await answer.arrayBuffer()));
}

async function route(req: IncomingMessage, res: ServerResponse, deps: PageServerDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.local');
  const { pathname } = url;
  if (req.method === 'GET') {
    if (pathname === '/api/bootstrap') return sendJson(res, 200, bootstrap(deps.registry, deps.botUserId, deps.slackUrl));
    // Supervisors and load balancers probe this, as in the other modes (src/app.ts).
    if (pathname === '/healthz') return sendJson(res, 200, { ok: true });
    if (pathname === '/api/events') return deps.hub.add(res);
    if (pathname === '/api/timeline') {
      const actor = actorOf({ team: url.searchParams.get('team') ?? '', user: url.searchParams.get('user') ?? '' });
      const entries = deps.local.entries(actor, url.searchParams.get('channel') ?? '');
      return sendJson(res, 200, { entries, home: deps.local.home(actor.user.id) ?? null });
    }
    if (pathname.startsWith('/images/') && deps.botOrigin) return passImage(res, `${deps.botOrigin}${pathname}${url.search}`);
    const file = /^\/files\/([A-Z0-9]+)(?:\/[^/]*)?$/.exec(pathname);
    if (file) return serveUpload(res, deps.local, file[1]!);
    return serveStatic(res, pathname);
  }
  const post = /^\/api\/([a-z]+)$/.exec(pathname);
  const handler = post ? POST_HANDLERS[post[1]!] : undefined;
  if (req.method === 'POST' && handler) return sendJson(res, 200, await handler(await readJson(req), deps.local));
  sendJson(res, 404, { error: 'not_found' });
}

function answerError(res: ServerResponse, error: unknown, deps: PageServerDeps): void {
  if (res.headersSent) return void res.end();
  if (error instanceof ZodError)
    return sendJson(res, 400, { error: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  if (error instanceof PageRequestError) return sendJson(res, error.status, { error: error.message });
  if (error instanceof LocalSlackError) return sendJson(res, 404, { error: error.message });
  deps.logError('Sandbox page request failed:', error);
  sendJson(res, 500, { error: 'The sandbox failed; see its console' });
}

/** The page and its API on one port. Listens on `host:port`; port 0 picks a free one. */
export async function startPageServer(deps: PageServerDeps, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    route(req, res, deps).catch((error: unknown) => answerError(res, error, deps));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new SandboxError(`Port ${port} is already in use: stop whatever uses it, or start with PORT=<another port>`)
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
