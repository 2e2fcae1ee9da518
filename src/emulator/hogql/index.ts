/** The emulator's HogQL engine: public surface. */
export { createHogQLEngine, DEFAULT_LIMIT, MAX_LIMIT } from './engine.js';
export type { ExecuteOptions, HogQLEngine, HogQLEngineOptions, HogQLResult } from './engine.js';
export { HogQLError, isHogQLError } from './errors.js';
export type { HogQLErrorKind, HogQLPosition } from './errors.js';
export { HogQLQueryService } from './service.js';
export type { HogQLServiceOptions, PostContext, ServiceReply } from './service.js';
export { createHogQLQueryEngine } from './adapter.js';
export type { ClosableQueryEngine, HogQLQueryEngineOptions } from './adapter.js';
export { benchEmulatorGroupBy } from './bench.js';
export type { EmulatorGroupByBench } from './bench.js';
export { FUNCTION_NAMES } from './functions.js';
export { AGGREGATE_NAMES } from './functions/aggregates.js';
