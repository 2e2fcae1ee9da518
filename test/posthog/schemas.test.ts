import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  hasNextListOf,
  listOf,
  matonConnectionEnvelopeSchema,
  matonConnectionListSchema,
  organizationSchema,
  projectSchema,
  userSchema,
} from '../../src/posthog/schemas.js';

// Shapes from Maton's PostHog skill document and PostHog's API docs.
const project = {
  id: 136209,
  uuid: '019583c6-377c-0000-e55c-8696cbc33595',
  organization: '019583c6-3635-0000-5798-c18f20963b3b',
  api_token: 'phc_XXX',
  name: 'Default project',
  timezone: 'UTC',
};
const connection = {
  connection_id: '21fd90f9-5935-43cd-b6c8-bde9d915ca80',
  status: 'ACTIVE',
  creation_time: '2025-12-08T07:20:53.488460Z',
  last_updated_time: '2026-01-31T20:03:32.593153Z',
  url: 'https://connect.maton.ai/?session_token=5e9',
  app: 'posthog',
  metadata: {},
};

describe('schemas', () => {
  it('list envelope keeps unknown fields and accepts a missing count', () => {
    const page = listOf(projectSchema).parse({ count: 1, next: null, previous: null, results: [project] });
    expect(page.results[0]).toMatchObject({ id: 136209, api_token: 'phc_XXX' });
    expect(listOf(z.unknown()).parse({ next: 'https://us.posthog.com/x?offset=10', results: [] }).count).toBeUndefined();
    expect(listOf(z.unknown()).safeParse({ count: 1, results: 'nope' }).success).toBe(false);
  });

  it('has_next envelope requires has_next', () => {
    expect(hasNextListOf(z.unknown()).parse({ results: [], has_next: false, version: 4 })).toMatchObject({ version: 4 });
    expect(hasNextListOf(z.unknown()).safeParse({ results: [] }).success).toBe(false);
  });

  it('user @me is lenient: only email is required; team and organization may be null', () => {
    expect(userSchema.parse({ email: 'a@b.c', team: null, organization: null }).email).toBe('a@b.c');
    const full = userSchema.parse({
      id: 1,
      uuid: 'u',
      email: 'a@b.c',
      first_name: 'A',
      organization: { id: 'org-uuid', name: 'Acme', slug: 'acme' },
      team: { id: 2, name: 'Default', api_token: 'phc_x' },
    });
    expect(full.team?.id).toBe(2);
    expect(userSchema.safeParse({ id: 1 }).success).toBe(false);
  });

  it('organization and project', () => {
    const org = organizationSchema.parse({ id: 'o', name: 'Acme', teams: [{ id: 1, name: 'Web' }], membership_level: 8 });
    expect(org.teams?.[0]?.name).toBe('Web');
    expect(projectSchema.parse({ ...project, organization: { id: 'o', name: 'Acme' } }).name).toBe('Default project');
    expect(projectSchema.safeParse({ ...project, id: '136209' }).success).toBe(false);
  });

  it('Maton connections accept unknown statuses and missing optional fields', () => {
    const list = matonConnectionListSchema.parse({ connections: [connection, { ...connection, status: 'EXPIRED', url: null }] });
    expect(list.connections.map((c) => c.status)).toEqual(['ACTIVE', 'EXPIRED']);
    const { url: _url, metadata: _metadata, ...bare } = connection;
    expect(matonConnectionEnvelopeSchema.parse({ connection: bare }).connection.app).toBe('posthog');
    expect(matonConnectionEnvelopeSchema.safeParse({ connection: { ...connection, status: 3 } }).success).toBe(false);
  });
});
