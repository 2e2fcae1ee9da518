import { describe, expect, it } from 'vitest';
import type { UpstreamErrorInit, UpstreamErrorKind } from '../../src/posthog/errors.js';
import { UpstreamError } from '../../src/posthog/errors.js';
import { describeUpstreamError } from '../../src/posthog/translate.js';

const at = { method: 'GET', path: '/api/projects/1/feature_flags/99/' } as const;

// Keyed by kind, so adding a kind without a case here fails to compile.
const cases: Record<UpstreamErrorKind, { init: Omit<UpstreamErrorInit, 'kind' | 'method' | 'path'>; says: string[] }> = {
  gateway_no_connection: {
    init: { status: 400 },
    says: ['no PostHog connection', '`/ph connection connect`', '`/ph connection use &lt;id&gt;`'],
  },
  gateway_bad_key: { init: { status: 401 }, says: ['Maton API key was rejected', 'MATON_API_KEY'] },
  gateway_rate_limited: { init: { status: 429, retryAfterSeconds: 4 }, says: ['rate limiting', 'try again in 4 s.'] },
  // A bare 500 is not necessarily an expired grant (issue 10): say what is known, then the likely fix.
  gateway_grant_expired: {
    init: { status: 500 },
    says: ['PostHog or the Maton gateway failed', 'HTTP 500', 'if it keeps failing', 'may have expired', '`/ph connection connect`'],
  },
  gateway_other: { init: { status: 502 }, says: ['Maton gateway', 'HTTP 502', 'Try again'] },
  posthog_validation: {
    init: { status: 400, detail: 'There is already a feature flag with this key', attr: 'key', code: 'unique' },
    says: ['There is already a feature flag with this key.', 'field `key`', 'try again'],
  },
  posthog_auth: { init: { status: 401 }, says: ['credentials', 'Reconnect with `/ph connection connect`'] },
  posthog_permission: {
    init: { status: 403, detail: 'You do not have admin access.' },
    says: ['not allowed', 'You do not have admin access.', 'admin'],
  },
  posthog_not_found: { init: { status: 404 }, says: ['could not find', '`/api/projects/1/feature_flags/99/`', 'project'] },
  posthog_method_not_allowed: {
    init: { status: 405, detail: 'Use PATCH with {"deleted": true}' },
    says: ['does not allow', 'Use PATCH with {"deleted": true}.'],
  },
  posthog_throttled: { init: { status: 429, retryAfterSeconds: 30 }, says: ['rate limiting', 'try again in 30 s.'] },
  posthog_server: { init: { status: 503 }, says: ['server error', 'HTTP 503', 'Try again'] },
  posthog_approval_pending: {
    init: {
      status: 409,
      code: 'approval_required',
      approval: {
        state: 'required',
        changeRequestId: '3f2a9c1e-0000-4000-8000-000000000001',
        approvers: { users: [42, 99], roles: [], quorum: 1 },
        requestedBy: null,
      },
    },
    says: ['waits for approval in PostHog', '`3f2a9c1e`', '1 approval', 'users 42, 99', 'Nothing changes until it is approved'],
  },
  posthog_other: { init: { status: 409, detail: 'Conflict' }, says: ['refused', 'HTTP 409', 'Conflict.'] },
  timeout: { init: {}, says: ['did not answer in time', 'Try again'] },
  network: { init: {}, says: ['could not reach', 'Try again'] },
  malformed: { init: { status: 200, detail: 'results.0.id: expected number' }, says: ['did not understand', 'Try again'] },
};

describe('describeUpstreamError', () => {
  it.each(Object.entries(cases))('%s', (kind, { init, says }) => {
    const text = describeUpstreamError(new UpstreamError({ kind: kind as UpstreamErrorKind, ...at, ...init }));
    for (const phrase of says) expect(text).toContain(phrase);
    // One or two short sentences, never internals such as the schema issue text.
    expect(text.length).toBeLessThan(300);
    expect(text).not.toContain('results.0.id');
  });

  it('names an expired grant only when the gateway says the token could not be refreshed', () => {
    const text = describeUpstreamError(
      new UpstreamError({
        kind: 'gateway_grant_expired',
        status: 500,
        ...at,
        detail: 'Failed to refresh OAuth token for this connection: invalid_grant',
      }),
    );
    expect(text).toBe('The PostHog authorization behind this connection has expired. Reconnect with `/ph connection connect`.');
  });

  it('says "a few seconds" when the wait is unknown', () => {
    const text = describeUpstreamError(new UpstreamError({ kind: 'posthog_throttled', status: 429, ...at }));
    expect(text).toContain('try again in a few seconds.');
  });

  it('escapes and clips text copied from PostHog', () => {
    const detail = `<!channel> & <https://evil.example|click> ${'x'.repeat(400)}`;
    const text = describeUpstreamError(new UpstreamError({ kind: 'posthog_validation', status: 400, ...at, detail }));
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(text).not.toMatch(/<[^>]*>/);
    expect(text.length).toBeLessThan(300);
  });

  it('falls back to a generic validation sentence without detail', () => {
    const text = describeUpstreamError(new UpstreamError({ kind: 'posthog_validation', status: 400, ...at }));
    expect(text).toBe('PostHog rejected the request: the input is invalid. Fix it and try again.');
  });
});
