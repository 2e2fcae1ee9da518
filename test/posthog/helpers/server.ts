/**
 * A real HTTP server on 127.0.0.1:<ephemeral> whose behaviour each test scripts through `handle`. It records every
 * request it receives (method, url, headers, body) so tests assert what actually went over the wire.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** `n` is the 1-based count of requests received so far, including this one. */
export type Handler = (req: Received, res: ServerResponse, n: number) => void;

export interface TestServer {
  baseUrl: string;
  received: Received[];
  handle: Handler;
  close(): Promise<void>;
}

export async function startServer(handle: Handler = (_req, res) => json(res, 200, {})): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(entry);
      state.handle(entry, res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: TestServer = {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    handle,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Tests leave requests hanging on purpose (timeouts); do not wait for them.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return state;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function text(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(body);
}
