/**
 * The seam between the REST emulator and a query engine (HogQL over the demo dataset). The REST side owns routing,
 * auth and project resolution; the engine gets the project's dataset and answers with a status and a PostHog-shaped
 * body (including drf error bodies for bad queries).
 */
import type { DemoDataset } from './dataset-types.js';

export interface QueryEngineContext {
  projectId: number;
  /** The project's timezone (PostHog's team timezone), e.g. "UTC" or "America/New_York". */
  timezone: string;
  /** The project's demo data: the same object for the life of the emulator, so an engine may cache by identity. */
  dataset: DemoDataset;
  /** The emulator's clock at the time of the request. */
  now: Date;
  /** The Maton connection the request came through. */
  connectionId: string;
}

export interface QueryEngineReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface QueryEngine {
  /** `POST /api/projects/{id}/query/` with the request's JSON body as sent by the client. */
  run(projectId: number, body: unknown, ctx: QueryEngineContext): Promise<QueryEngineReply>;
  /** `GET /api/projects/{id}/query/{queryId}/` (async polling). Without it the route answers 404. */
  status?(projectId: number, queryId: string, ctx: QueryEngineContext): Promise<QueryEngineReply>;
  /** `DELETE /api/projects/{id}/query/{queryId}/`. Without it the route answers 404. */
  cancel?(projectId: number, queryId: string, ctx: QueryEngineContext): Promise<QueryEngineReply>;
}
