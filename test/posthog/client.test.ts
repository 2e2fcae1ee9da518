import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InvalidPathSegmentError } from '../../src/errors.js';
import { path } from '../../src/posthog/path.js';
import { projectSchema, userSchema } from '../../src/posthog/schemas.js';
import { describeUpstreamError } from '../../src/posthog/translate.js';
import { API_KEY, harness, rejection } from './helpers/gateway.js';
import type { TestServer } from './helpers/server.js';
import { json, startServer, text } from './helpers/server.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const me = { id: 1, uuid: 'u-1', email: 'ada@example.com', first_name: 'Ada', team: { id: 2, name: 'Default' } };

describe('requests', () => {
  it('sends the bearer key, Accept and the Maton-Connection header to {baseUrl}/posthog{path}', async () => {
    server.handle = (_req, res) => json(res, 200, me);
    const { gateway } = harness(server.baseUrl);

    const user = await gateway.posthog('conn-1').request('GET', '/api/users/@me/', userSchema, {
      query: { a: 'x y', n: 3, b: false, skip: undefined, nil: null },
    });

    expect(user.email).toBe('ada@example.com');
    const [req] = server.received;
    expect(req?.method).toBe('GET');
    expect(req?.url).toBe('/posthog/api/users/@me/?a=x+y&n=3&b=false');
    expect(req?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req?.headers['maton-connection']).toBe('conn-1');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers['content-type']).toBeUndefined();
  });

  it('omits Maton-Connection when the connection is null', async () => {
    server.handle = (_req, res) => json(res, 200, me);
    const client = harness(server.baseUrl).gateway.posthog(null);

    await client.request('GET', '/api/users/@me/', userSchema);

    expect(client.connectionId).toBeNull();
    expect(server.received[0]?.headers).not.toHaveProperty('maton-connection');
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('sends JSON bodies with Content-Type and keeps a base URL path prefix', async () => {
    server.handle = (_req, res) => json(res, 201, { id: 7, name: 'Launch', key: 'launch' });
    const { gateway } = harness(`${server.baseUrl}/maton/`);
    const flag = z.looseObject({ id: z.number(), key: z.string() });

    const created = await gateway.posthog('c').request('POST', '/api/projects/1/feature_flags/', flag, {
      body: { key: 'launch', active: true },
    });

    expect(created.id).toBe(7);
    expect(server.received[0]?.url).toBe('/maton/posthog/api/projects/1/feature_flags/');
    expect(server.received[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({ key: 'launch', active: true });
  });

  it('resolves 204 to undefined for a DELETE', async () => {
    server.handle = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const result = await harness(server.baseUrl).gateway.posthog('c').request('DELETE', '/api/x/1/', z.undefined());
    expect(result).toBeUndefined();
    expect(server.received[0]?.method).toBe('DELETE');
  });

  it('path`` encodes interpolations and refuses dot segments; the client refuses paths with a query', async () => {
    expect(path`/api/projects/${12}/feature_flags/${'a/b?c'}/`).toBe('/api/projects/12/feature_flags/a%2Fb%3Fc/');
    // A typed error (a CommandError), so guarded() answers every command's `..` in one sentence, not "internal error".
    expect(() => path`/api/projects/1/persons/${'..'}/`).toThrow(InvalidPathSegmentError);
    expect(() => path`/api/projects/1/persons/${'..'}/`).toThrow('`..` is not a valid id or key.');
    expect(() => path`/api/projects/1/persons/${'.'}/`).toThrow('`.` is not a valid id or key.');
    expect(() => path`/api/projects/${''}/`).toThrow(InvalidPathSegmentError);
    expect(path`/api/projects/1/persons/${'...'}/`).toBe('/api/projects/1/persons/.../');
    const client = harness(server.baseUrl).gateway.posthog('c');
    await expect(client.request('GET', '/api/projects/?limit=1', z.unknown())).rejects.toThrow(TypeError);
    await expect(client.request('GET', '/api/%2e%2e/%2e%2e/connections', z.unknown())).rejects.toThrow(TypeError);
    expect(server.received).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a GET on 503 with jittered exponential backoff, then succeeds', async () => {
    server.handle = (_req, res, n) => (n < 3 ? json(res, 503, { detail: 'busy' }) : json(res, 200, me));
    const { gateway, sleeps, infos } = harness(server.baseUrl);

    const user = await gateway.posthog('c').request('GET', '/api/users/@me/', userSchema);

    expect(user.first_name).toBe('Ada');
    expect(server.received).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expect(infos.map((i) => [i.attempt, i.status, i.kind])).toEqual([
      [1, 503, 'posthog_server'],
      [2, 503, 'posthog_server'],
      [3, 200, undefined],
    ]);
  });

  it('gives up after maxRetries and throws the last error', async () => {
    server.handle = (_req, res) => json(res, 502, { type: 'server_error', code: 'error', detail: 'bad gateway' });
    const { gateway, sleeps } = harness(server.baseUrl, { maxRetries: 2 });

    const error = await rejection(gateway.posthog('c').request('GET', '/api/projects/', z.unknown()));

    expect(error.kind).toBe('posthog_server');
    expect(error.status).toBe(502);
    expect(server.received).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
  });

  it('never retries a POST on 503', async () => {
    server.handle = (_req, res) => json(res, 503, { detail: 'busy' });
    const { gateway, sleeps } = harness(server.baseUrl);

    const error = await rejection(gateway.posthog('c').request('POST', '/api/projects/1/insights/', z.unknown(), { body: {} }));

    expect(error.kind).toBe('posthog_server');
    expect(server.received).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('never retries a PATCH by default', async () => {
    server.handle = (_req, res) => json(res, 500, { type: 'server_error', detail: 'boom' });
    const error = await rejection(
      harness(server.baseUrl)
        .gateway.posthog('c')
        .request('PATCH', '/api/projects/1/feature_flags/2/', z.unknown(), {
          body: { active: false },
        }),
    );
    expect(error.kind).toBe('posthog_server');
    expect(server.received).toHaveLength(1);
  });

  it('retries a POST marked idempotent', async () => {
    const result = { results: [[1]], columns: ['count()'] };
    server.handle = (_req, res, n) => (n === 1 ? json(res, 503, {}) : json(res, 200, result));
    const schema = z.looseObject({ results: z.array(z.array(z.unknown())), columns: z.array(z.string()) });

    const answer = await harness(server.baseUrl)
      .gateway.posthog('c')
      .request('POST', '/api/projects/1/query/', schema, { body: { query: {} }, idempotent: true });

    expect(answer.columns).toEqual(['count()']);
    expect(server.received).toHaveLength(2);
    expect(server.received.map((r) => r.body)).toEqual([server.received[0]?.body, server.received[0]?.body]);
  });

  it('never retries a 4xx other than 429', async () => {
    server.handle = (_req, res) => json(res, 404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.' });
    const { gateway, sleeps } = harness(server.baseUrl);

    const error = await rejection(gateway.posthog('c').request('GET', '/api/projects/9/', projectSchema));

    expect(error.kind).toBe('posthog_not_found');
    expect(server.received).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('waits exactly the Retry-After seconds on 429, then succeeds', async () => {
    server.handle = (_req, res, n) =>
      n === 1
        ? json(res, 429, { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled.' }, { 'Retry-After': '3' })
        : json(res, 200, me);
    const { gateway, sleeps } = harness(server.baseUrl);

    await gateway.posthog('c').request('GET', '/api/users/@me/', userSchema);

    expect(sleeps).toEqual([3000]);
    expect(server.received).toHaveLength(2);
  });

  it('backs off on a gateway 429 without Retry-After', async () => {
    server.handle = (_req, res, n) => (n === 1 ? json(res, 429, { error: 'Too many requests' }) : json(res, 200, me));
    const { gateway, sleeps } = harness(server.baseUrl);

    await gateway.posthog('c').request('GET', '/api/users/@me/', userSchema);

    expect(sleeps).toEqual([100]);
  });

  it('does not wait for a Retry-After longer than maxRetryAfterSeconds', async () => {
    server.handle = (_req, res) =>
      json(res, 429, { type: 'throttled_error', code: 'throttled', detail: 'Throttled.' }, { 'Retry-After': '120' });
    const { gateway, sleeps } = harness(server.baseUrl);

    const error = await rejection(gateway.posthog('c').request('GET', '/api/users/@me/', userSchema));

    expect(error.kind).toBe('posthog_throttled');
    expect(error.retryAfterSeconds).toBe(120);
    expect(server.received).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(describeUpstreamError(error)).toContain('120 s');
  });
});

describe('transport failures', () => {
  it('times out a server that never answers, and retries a GET on timeout', async () => {
    server.handle = () => {}; // never answers
    const { gateway, sleeps } = harness(server.baseUrl, { timeoutMs: 50, maxRetries: 1 });

    const error = await rejection(gateway.posthog('c').request('GET', '/api/users/@me/', userSchema));

    expect(error.kind).toBe('timeout');
    expect(error.status).toBeUndefined();
    expect(error.path).toBe('/api/users/@me/');
    expect(server.received).toHaveLength(2);
    expect(sleeps).toEqual([100]);
  });

  it('a per-request timeoutMs overrides the default, and a POST times out without a retry', async () => {
    server.handle = () => {};
    const { gateway } = harness(server.baseUrl, { timeoutMs: 60_000 });

    const error = await rejection(gateway.posthog('c').request('POST', '/api/projects/1/query/', z.unknown(), { body: {}, timeoutMs: 50 }));

    expect(error.kind).toBe('timeout');
    expect(server.received).toHaveLength(1);
  });

  it('classifies a reset connection as network and retries a GET', async () => {
    server.handle = (req, res, n) => {
      if (n === 1) res.socket?.destroy();
      else json(res, 200, me);
    };
    const { gateway, infos } = harness(server.baseUrl);

    const user = await gateway.posthog('c').request('GET', '/api/users/@me/', userSchema);

    expect(user.email).toBe('ada@example.com');
    expect(infos.map((i) => i.kind)).toEqual(['network', undefined]);
  });

  it('does not retry a reset POST', async () => {
    server.handle = (_req, res) => res.socket?.destroy();
    const error = await rejection(
      harness(server.baseUrl).gateway.posthog('c').request('POST', '/api/projects/1/annotations/', z.unknown(), { body: {} }),
    );
    expect(error.kind).toBe('network');
    expect(server.received).toHaveLength(1);
  });

  it('classifies a refused connection as network', async () => {
    const closed = await startServer();
    const url = closed.baseUrl;
    await closed.close();
    const error = await rejection(harness(url, { maxRetries: 0 }).gateway.posthog('c').request('GET', '/api/x/', z.unknown()));
    expect(error.kind).toBe('network');
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('rethrows the caller abort reason instead of an UpstreamError', async () => {
    const controller = new AbortController();
    server.handle = () => controller.abort(new Error('user cancelled'));
    const request = harness(server.baseUrl).gateway.posthog('c').request('GET', '/api/x/', z.unknown(), { signal: controller.signal });
    await expect(request).rejects.toThrow('user cancelled');
    expect(server.received).toHaveLength(1);
  });

  it('reports a non-JSON 200 as malformed', async () => {
    server.handle = (_req, res) => text(res, 200, '<html>login</html>');
    const error = await rejection(harness(server.baseUrl).gateway.posthog('c').request('GET', '/api/users/@me/', userSchema));
    expect(error.kind).toBe('malformed');
    expect(error.detail).toBe('response body is not JSON');
    expect(error.message).not.toContain('login');
  });

  it('reports a schema mismatch as malformed, naming the paths but not the values', async () => {
    server.handle = (_req, res) => json(res, 200, { count: 1, next: null, results: [{ id: 'value-that-must-not-leak', name: 'P' }] });
    const client = harness(server.baseUrl).gateway.posthog('c');

    const error = await rejection(client.listPage('/api/projects/', projectSchema, { limit: 10 }));

    expect(error.kind).toBe('malformed');
    expect(error.status).toBe(200);
    expect(error.detail).toContain('results.0.id');
    expect(error.message).not.toContain('value-that-must-not-leak');
    expect(server.received).toHaveLength(1);
  });
});

describe('pages', () => {
  const person = z.looseObject({ id: z.string() });
  const people = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `p${from + i}` }));

  it('listPage reads nextOffset from the next URL without following its host', async () => {
    server.handle = (_req, res) =>
      json(res, 200, {
        count: 450,
        next: 'https://us.posthog.com/api/projects/1/persons/?limit=100&offset=200',
        previous: 'https://us.posthog.com/api/projects/1/persons/?limit=100',
        results: people(100, 100),
      });
    const page = await harness(server.baseUrl)
      .gateway.posthog('c')
      .listPage('/api/projects/1/persons/', person, { limit: 100, offset: 100, query: { search: 'ada' } });

    expect(page.nextOffset).toBe(200);
    expect(page.count).toBe(450);
    expect(page.results).toHaveLength(100);
    expect(server.received.map((r) => r.url)).toEqual(['/posthog/api/projects/1/persons/?search=ada&limit=100&offset=100']);
  });

  it('listPage ends on a null next and tolerates a missing count', async () => {
    server.handle = (_req, res) => json(res, 200, { next: null, results: people(0, 2) });
    const page = await harness(server.baseUrl).gateway.posthog('c').listPage('/api/projects/1/persons/', person, { limit: 10 });
    expect(page).toEqual({ results: people(0, 2), count: null, nextOffset: null });
    expect(server.received[0]?.url).toBe('/posthog/api/projects/1/persons/?limit=10');
  });

  it('hasNextPage computes the next offset from has_next', async () => {
    server.handle = (req, res) => {
      const offset = Number(new URL(req.url, 'http://x').searchParams.get('offset'));
      json(res, 200, { results: people(offset, 5), has_next: offset < 10, version: 4 });
    };
    const client = harness(server.baseUrl).gateway.posthog('c');

    const first = await client.hasNextPage('/api/projects/1/session_recordings/', person, { limit: 5, offset: 5 });
    const last = await client.hasNextPage('/api/projects/1/session_recordings/', person, { limit: 5, offset: 10 });

    expect(first.nextOffset).toBe(10);
    expect(last.nextOffset).toBeNull();
    expect(last.results[0]).toEqual({ id: 'p10' });
  });

  it('collect walks list pages up to maxItems and says where to resume', async () => {
    const total = 250;
    server.handle = (req, res) => {
      const params = new URL(req.url, 'http://x').searchParams;
      const limit = Number(params.get('limit'));
      const offset = Number(params.get('offset') ?? 0);
      const end = Math.min(total, offset + limit);
      const next = end < total ? `https://eu.posthog.com/api/projects/1/persons/?limit=${limit}&offset=${end}` : null;
      json(res, 200, { count: total, next, previous: null, results: people(offset, end - offset) });
    };
    const client = harness(server.baseUrl).gateway.posthog('c');

    const some = await client.collect('/api/projects/1/persons/', person, { maxItems: 230, pageSize: 100 });
    const all = await client.collect('/api/projects/1/persons/', person, { maxItems: 1000, pageSize: 100 });

    expect(some.items.map((p) => p.id)).toEqual(people(0, 230).map((p) => p.id));
    expect(some).toMatchObject({ count: 250, truncated: true, nextOffset: 230 });
    expect(all.items).toHaveLength(250);
    expect(all).toMatchObject({ truncated: false, nextOffset: null });
    expect(server.received.slice(0, 3).map((r) => r.url)).toEqual([
      '/posthog/api/projects/1/persons/?limit=100&offset=0',
      '/posthog/api/projects/1/persons/?limit=100&offset=100',
      '/posthog/api/projects/1/persons/?limit=30&offset=200',
    ]);
  });

  it('collect walks has_next pages to the end', async () => {
    server.handle = (req, res) => {
      const params = new URL(req.url, 'http://x').searchParams;
      const offset = Number(params.get('offset'));
      const n = Math.max(0, Math.min(Number(params.get('limit')), 7 - offset));
      json(res, 200, { results: people(offset, n), has_next: offset + n < 7 });
    };
    const got = await harness(server.baseUrl)
      .gateway.posthog('c')
      .collect('/api/projects/1/session_recordings/', person, { maxItems: 50, pageSize: 3, pagination: 'has_next' });
    expect(got.items.map((p) => p.id)).toEqual(people(0, 7).map((p) => p.id));
    expect(got).toMatchObject({ count: null, truncated: false, nextOffset: null });
    expect(server.received).toHaveLength(3);
  });
});

describe('Maton connections', () => {
  const connection = {
    connection_id: 'conn/1',
    status: 'ACTIVE',
    creation_time: '2026-02-23T09:37:57.686121Z',
    last_updated_time: '2026-02-23T09:39:11.851118Z',
    url: 'https://connect.maton.ai/?session_token=abc',
    app: 'posthog',
    metadata: {},
  };

  it('lists PostHog connections with the key and no Maton-Connection header', async () => {
    server.handle = (_req, res) => json(res, 200, { connections: [connection, { ...connection, status: 'REVOKED' }] });
    const list = await harness(server.baseUrl).gateway.connections.list({ status: 'ACTIVE' });

    expect(list.map((c) => c.status)).toEqual(['ACTIVE', 'REVOKED']);
    const [req] = server.received;
    expect(req?.url).toBe('/connections?app=posthog&status=ACTIVE');
    expect(req?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req?.headers).not.toHaveProperty('maton-connection');
  });

  it('creates, gets (id encoded) and deletes connections, on connectionsBaseUrl when given', async () => {
    const other = await startServer((req, res) => {
      if (req.method === 'DELETE') return json(res, 200, {});
      json(res, req.method === 'POST' ? 201 : 200, { connection: { ...connection, status: 'PENDING' } });
    });
    try {
      const { gateway } = harness(server.baseUrl, { connectionsBaseUrl: other.baseUrl });
      const created = await gateway.connections.create();
      const fetched = await gateway.connections.get('conn/1');
      await gateway.connections.delete('conn/1');

      expect(created.status).toBe('PENDING');
      expect(fetched.url).toContain('connect.maton.ai');
      expect(other.received.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /connections',
        'GET /connections/conn%2F1',
        'DELETE /connections/conn%2F1',
      ]);
      expect(JSON.parse(other.received[0]?.body ?? '')).toEqual({ app: 'posthog' });
      expect(other.received[0]?.headers['content-type']).toBe('application/json');
      expect(server.received).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('does not retry create on a 5xx (each call makes a connection)', async () => {
    server.handle = (_req, res) => json(res, 503, { error: 'unavailable' });
    const error = await rejection(harness(server.baseUrl).gateway.connections.create());
    expect(error.kind).toBe('gateway_other');
    expect(server.received).toHaveLength(1);
  });
});

describe('secrets', () => {
  it('never puts the API key in an error, its message, its description or the request log', async () => {
    const echo = `invalid key ${API_KEY} (Authorization: Bearer ${API_KEY})`;
    const scenarios: Array<(res: Parameters<TestServer['handle']>[1]) => void> = [
      (res) => json(res, 401, { error: echo }),
      (res) => json(res, 400, { type: 'validation_error', code: 'invalid_input', detail: echo, attr: API_KEY }),
      (res) => text(res, 500, echo),
      (res) => json(res, 200, { email: 42, key: API_KEY }),
      (res) => res.socket?.destroy(),
    ];
    const { gateway, infos } = harness(server.baseUrl, { maxRetries: 0 });
    const shown: string[] = [];
    const everything: string[] = [];
    for (const scenario of scenarios) {
      server.handle = (_req, res) => scenario(res);
      const error = await rejection(gateway.posthog('c').request('GET', '/api/users/@me/', userSchema, { query: { token: 'q' } }));
      shown.push(error.message, String(error), describeUpstreamError(error), JSON.stringify(error));
      everything.push(error.stack ?? '', inspect(error, { depth: 6 }));
      expect(error.path).toBe('/api/users/@me/');
    }
    shown.push(JSON.stringify(infos));

    expect(shown).toHaveLength(scenarios.length * 4 + 1);
    for (const t of [...shown, ...everything]) expect(t).not.toContain(API_KEY);
    // No URL in what gets logged or shown: neither the query string nor the host.
    for (const t of shown) {
      expect(t).not.toContain('token=q');
      expect(t).not.toContain(server.baseUrl);
    }
  });
});
