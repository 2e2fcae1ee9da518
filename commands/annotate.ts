/** The annotation commands: what each takes and who may run it. The work is in src/annotations/. */
import { z } from 'zod';
import {
  applyAnnotate,
  applyDeleteAnnotation,
  checkDeleteAnnotation,
  createPayload,
  deletePayload,
  listAnnotations,
  planAnnotate,
  planDeleteAnnotation,
  SCOPES,
} from '../src/annotations/annotations.js';
import { defineCommand } from '../src/registry/command.js';

// Importable from here as before (tests).
export { parseWhen } from '../src/annotations/annotations.js';

const annotate = defineCommand({
  name: 'annotate',
  summary: 'Mark a moment on PostHog’s charts (a deploy, a campaign, an outage)',
  usage: '"text" [--date "yesterday 14:00" | ISO date] [--scope project|organization]',
  examples: ['/ph annotate "Deployed checkout v2" --date "yesterday 14:00"'],
  args: z.object({
    text: z.string().trim().min(1, 'say what happened').max(2000),
    date: z.string().optional(),
    scope: z.enum(SCOPES, { message: 'is project or organization' }).optional(),
  }),
  rest: 'text',
  mutates: true,
  role: 'writer',
  payload: createPayload,
  plan: planAnnotate,
  apply: applyAnnotate,
});

const list = defineCommand({
  name: 'annotations',
  aliases: ['annotation list'],
  summary: 'Annotations in the project, newest date first',
  usage: '[search]',
  args: z.object({ search: z.string().optional(), offset: z.coerce.number().int().min(0).optional() }),
  rest: 'search',
  mutates: false,
  role: 'reader',
  run: listAnnotations,
});

const remove = defineCommand({
  name: 'annotation delete',
  summary: 'Delete an annotation (by the id `/ph annotations` shows)',
  usage: '<id>',
  args: z.object({ id: z.coerce.number().int().positive('is an annotation id') }),
  positional: ['id'],
  mutates: true,
  role: 'writer',
  payload: deletePayload,
  plan: (ctx, { id }) => planDeleteAnnotation(ctx, id),
  check: checkDeleteAnnotation,
  apply: applyDeleteAnnotation,
});

export default [annotate, list, remove];
