import { z } from 'zod';
import { renderHelp } from '../src/help.js';
import { defineCommand } from '../src/registry/command.js';

export default defineCommand({
  name: 'help',
  summary: 'Every command, or the details of one',
  usage: '[command]',
  examples: ['/ph help', '/ph help connection use'],
  args: z.object({ topic: z.string().optional() }),
  rest: 'topic',
  mutates: false,
  role: 'reader',
  run: async (ctx, { topic }) => renderHelp(ctx.registry, topic ?? ''),
});
