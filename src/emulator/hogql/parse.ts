/**
 * PostHog's own HogQL parser (ANTLR compiled to WASM), loaded once per process. It answers JSON strings: an AST, or
 * `{error: true, type, message, start, end}`, which becomes a `syntax` HogQLError with positions recomputed from the
 * offsets (the WASM build reports line 0 / column 0 for errors).
 */
import { createRequire } from 'node:module';
import type { HogQLParser } from '@posthog/hogql-parser';
import type createParser from '@posthog/hogql-parser';
import type { AstNode, QueryNode } from './ast.js';
import { HogQLError, type HogQLPosition } from './errors.js';

// The CommonJS build, as the bot's src/hogql/syntax.ts does: under tsx the ESM build's inlined WASM goes through the
// transformer and costs ~230 MB of RSS (measured in the sandbox, issue 15); require() loads the same parser for a few MB.
const { default: createHogQLParser } = createRequire(import.meta.url)('@posthog/hogql-parser') as { default: typeof createParser };

let parserPromise: Promise<HogQLParser> | undefined;

function parser(): Promise<HogQLParser> {
  parserPromise ??= createHogQLParser().catch((error: unknown) => {
    parserPromise = undefined; // let a later call retry rather than caching the failure forever
    throw error;
  });
  return parserPromise;
}

interface ParserError {
  error: true;
  type: string;
  message: string;
  start?: { offset?: number };
  end?: { offset?: number };
}

/** Line/column of a character offset, in the AST's convention (1-based line, 0-based column). */
export function positionAt(text: string, offset: number): HogQLPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart, offset: clamped };
}

function isParserError(value: unknown): value is ParserError {
  return typeof value === 'object' && value !== null && (value as { error?: unknown }).error === true;
}

/** Parses a full SELECT (or UNION) statement. Throws HogQLError('syntax') on bad input. */
export async function parseSelect(query: string): Promise<QueryNode> {
  const p = await parser();
  const parsed: unknown = JSON.parse(p.parseSelect(query));
  if (isParserError(parsed)) {
    const start = positionAt(query, parsed.start?.offset ?? 0);
    const end = positionAt(query, parsed.end?.offset ?? start.offset);
    const kind = parsed.type === 'NotImplementedError' ? 'unsupported' : 'syntax';
    throw new HogQLError(kind, parsed.message, { start, end });
  }
  const node = parsed as AstNode;
  if (node.node !== 'SelectQuery' && node.node !== 'SelectSetQuery') {
    throw new HogQLError('syntax', `Expected a SELECT query, got ${node.node}`);
  }
  return node as QueryNode;
}
