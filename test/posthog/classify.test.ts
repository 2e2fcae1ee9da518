import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { UpstreamError } from '../../src/posthog/errors.js';
import { isUpstreamError } from '../../src/posthog/errors.js';
import { harness, rejection } from './helpers/gateway.js';
import type { TestServer } from './helpers/server.js';
import { json, startServer, text } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

const drf = (type: string, code: string, detail: string, attr: string | null = null) => ({ type, code, detail, attr });

async function proxyError(respond: (res: ServerResponse) => void): Promise<UpstreamError> {
  server.handle = (_req, res) => respond(res);
  const client = harness(server.baseUrl, { maxRetries: 0 }).gateway.posthog('conn-1');
  return rejection(client.request('GET', '/api/projects/1/feature_flags/', z.unknown(), { query: { limit: 5 } }));
}

describe('gateway errors (no drf type in the body)', () => {
  it.each([
    [
      '400 {error: string}',
      400,
      { error: 'No connection found for app posthog' },
      'gateway_no_connection',
      'No connection found for app posthog',
    ],
    ['400 {message}', 400, { message: 'Missing Maton-Connection' }, 'gateway_no_connection', 'Missing Maton-Connection'],
    [
      '401 {error: {message, code}}',
      401,
      { error: { message: 'Invalid API key', code: 'unauthorized' } },
      'gateway_bad_key',
      'Invalid API key',
    ],
    ['429 {detail}', 429, { detail: 'Slow down' }, 'gateway_rate_limited', 'Slow down'],
    ['500 {error}', 500, { error: 'Internal Server Error' }, 'gateway_grant_expired', 'Internal Server Error'],
  ])('%s', async (_name, status, body, kind, detail) => {
    const error = await proxyError((res) => json(res, status, body));
    expect(error).toMatchObject({ kind, status, detail, method: 'GET', path: '/api/projects/1/feature_flags/' });
  });

  it('keeps a nested gateway error code', async () => {
    const error = await proxyError((res) => json(res, 401, { error: { message: 'Invalid API key', code: 'unauthorized' } }));
    expect(error.code).toBe('unauthorized');
  });

  it('reads a plain-text body, and ignores an HTML or empty one', async () => {
    const plain = await proxyError((res) => text(res, 400, '  Connection   not found\n'));
    const html = await proxyError((res) => text(res, 500, '<html><body>Oops</body></html>'));
    const empty = await proxyError((res) => text(res, 401, ''));
    expect(plain).toMatchObject({ kind: 'gateway_no_connection', detail: 'Connection not found' });
    expect(html).toMatchObject({ kind: 'gateway_grant_expired', status: 500 });
    expect(html.detail).toBeUndefined();
    expect(empty).toMatchObject({ kind: 'gateway_bad_key', status: 401 });
  });

  it('reads a gateway Retry-After', async () => {
    const error = await proxyError((res) => json(res, 429, { error: 'rate limited' }, { 'Retry-After': '2' }));
    expect(error).toMatchObject({ kind: 'gateway_rate_limited', retryAfterSeconds: 2 });
  });
});

describe('PostHog errors (drf body passed through)', () => {
  it('400 validation keeps detail, attr and code', async () => {
    const error = await proxyError((res) =>
      json(res, 400, drf('validation_error', 'unique', 'There is already a feature flag with this key.', 'key')),
    );
    expect(error).toMatchObject({
      kind: 'posthog_validation',
      status: 400,
      code: 'unique',
      attr: 'key',
      detail: 'There is already a feature flag with this key.',
    });
  });

  it('a query failure without drf type is still PostHog validation', async () => {
    const error = await proxyError((res) =>
      json(res, 400, { query_status: { id: 'q1', complete: true, error: true, error_message: 'Unknown table `evnts`' } }),
    );
    expect(error).toMatchObject({ kind: 'posthog_validation', detail: 'Unknown table `evnts`' });
  });

  it.each([
    [401, drf('authentication_error', 'authentication_failed', 'Invalid token.'), 'posthog_auth'],
    [403, drf('authentication_error', 'permission_denied', 'You do not have permission.'), 'posthog_permission'],
    [404, drf('invalid_request', 'not_found', 'Not found.'), 'posthog_not_found'],
    [405, drf('invalid_request', 'method_not_allowed', 'Use PATCH with {"deleted": true}.'), 'posthog_method_not_allowed'],
    [409, drf('invalid_request', 'conflict', 'Conflict.'), 'posthog_other'],
    [500, drf('server_error', 'error', 'A server error occurred.'), 'posthog_server'],
    [503, drf('server_error', 'error', 'Unavailable.'), 'posthog_server'],
  ])('%i %j -> %s', async (status, body, kind) => {
    const error = await proxyError((res) => json(res, status, body));
    expect(error).toMatchObject({ kind, status, code: body.code, detail: body.detail });
  });

  it('statuses Maton never uses are PostHog even without a drf body', async () => {
    const notFound = await proxyError((res) => text(res, 404, '<h1>Not Found</h1>'));
    const badGateway = await proxyError((res) => text(res, 502, 'Bad Gateway'));
    expect(notFound).toMatchObject({ kind: 'posthog_not_found', status: 404 });
    expect(badGateway).toMatchObject({ kind: 'posthog_server', status: 502, detail: 'Bad Gateway' });
  });

  it('429 throttled takes Retry-After, or the seconds in the detail when the header is missing', async () => {
    const body = drf('throttled_error', 'throttled', 'Request was throttled. Expected available in 59 seconds.');
    const withHeader = await proxyError((res) => json(res, 429, body, { 'Retry-After': '7' }));
    const withoutHeader = await proxyError((res) => json(res, 429, body));
    expect(withHeader).toMatchObject({ kind: 'posthog_throttled', retryAfterSeconds: 7 });
    expect(withoutHeader).toMatchObject({ kind: 'posthog_throttled', retryAfterSeconds: 59 });
  });

  it('a Retry-After HTTP date becomes seconds from now', async () => {
    const at = new Date(Date.now() + 3_600_000).toUTCString();
    const error = await proxyError((res) => json(res, 429, drf('throttled_error', 'throttled', 'x'), { 'Retry-After': at }));
    expect(error.retryAfterSeconds).toBeGreaterThan(3_000);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(3_600);
  });

  it('clips a huge detail', async () => {
    const error = await proxyError((res) => json(res, 400, drf('validation_error', 'invalid_input', 'x'.repeat(5_000))));
    expect(error.detail?.length).toBeLessThanOrEqual(300);
  });
});

describe('other responses', () => {
  it('a redirect is not followed (the key stays home) and counts as malformed', async () => {
    const error = await proxyError((res) => {
      res.writeHead(302, { Location: `${server.baseUrl}/elsewhere` });
      res.end();
    });
    expect(error).toMatchObject({ kind: 'malformed', status: 302 });
    expect(server.received.at(-1)?.url).not.toContain('elsewhere');
  });

  it("Maton's /connections API: unknown id is no_connection, a 5xx is gateway_other", async () => {
    const { gateway } = harness(server.baseUrl, { maxRetries: 0 });
    server.handle = (_req, res) => json(res, 404, { error: 'Connection not found' });
    const missing = await rejection(gateway.connections.get('nope'));
    server.handle = (_req, res) => json(res, 500, { error: 'boom' });
    const broken = await rejection(gateway.connections.list());
    expect(missing).toMatchObject({ kind: 'gateway_no_connection', status: 404, path: '/connections/nope' });
    expect(broken).toMatchObject({ kind: 'gateway_other', status: 500, path: '/connections' });
  });
});

describe('isUpstreamError', () => {
  it('is duck-typed on name and kind', async () => {
    const real = await proxyError((res) => json(res, 404, drf('invalid_request', 'not_found', 'Not found.')));
    expect(isUpstreamError(real)).toBe(true);
    expect(real).toBeInstanceOf(Error);
    expect(real.name).toBe('UpstreamError');
    expect(isUpstreamError({ name: 'UpstreamError', kind: 'timeout' })).toBe(true);
    expect(isUpstreamError(new Error('x'))).toBe(false);
    expect(isUpstreamError({ name: 'UpstreamError' })).toBe(false);
    expect(isUpstreamError(null)).toBe(false);
    expect(isUpstreamError('UpstreamError')).toBe(false);
  });
});
