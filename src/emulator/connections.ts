/** Maton's `/connections` API: list (filters), create (PENDING, with an authorize URL), get, delete. */
import type { Reply } from './http.js';
import { gatewayReplies, json } from './http.js';
import type { Connection } from './model.js';
import { Router } from './router.js';
import type { EmulatorState } from './state.js';

export type PublicConnection = Omit<Connection, 'accountId' | 'grantExpired' | 'sessionToken'>;

export function publicConnection(c: Connection): PublicConnection {
  const { accountId: _account, grantExpired: _expired, sessionToken: _token, ...rest } = c;
  return { ...rest, metadata: { ...rest.metadata } };
}

interface ConnectionRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  state: EmulatorState;
}

type Handler = (req: ConnectionRequest) => Reply;

const router = new Router<Handler>()
  .add('GET', '/connections', ({ query, state }) => {
    const app = query.get('app')?.toLowerCase();
    const status = query.get('status')?.toUpperCase();
    const connections = state
      .connections()
      .filter((c) => !app || c.app === app)
      .filter((c) => !status || c.status === status)
      .map(publicConnection);
    return json(200, { connections });
  })
  .add('POST', '/connections', ({ body, state }) => {
    const app = typeof body === 'object' && body !== null ? (body as { app?: unknown }).app : undefined;
    if (app === undefined) return gatewayReplies.badRequest('Missing required field: app');
    if (app !== 'posthog') return gatewayReplies.badRequest(`Unsupported app: ${String(app)}`);
    return json(200, { connection: publicConnection(state.createConnection()) });
  })
  .add('GET', '/connections/:id', ({ params, state }) => {
    const connection = state.connection(params.id ?? '');
    return connection ? json(200, { connection: publicConnection(connection) }) : gatewayReplies.notFound('Connection not found');
  })
  .add('DELETE', '/connections/:id', ({ params, state }) => {
    const id = params.id ?? '';
    return state.deleteConnection(id) ? json(200, { connection_id: id, deleted: true }) : gatewayReplies.notFound('Connection not found');
  });

export function handleConnections(method: string, path: string, query: URLSearchParams, rawBody: string, state: EmulatorState): Reply {
  const match = router.match(method, path);
  if (match.kind === 'none') return gatewayReplies.notFound('Not found');
  if (match.kind === 'method_not_allowed') return gatewayReplies.badRequest(`Method ${method} not allowed`);
  let body: unknown;
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody) as unknown;
    } catch {
      return gatewayReplies.badRequest('Request body is not valid JSON');
    }
  }
  return match.handler({ params: match.params, query, body, state });
}
