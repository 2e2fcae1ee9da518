import { fail, type MethodSpec } from '../state.js';

/** Slack's token prefixes other than app-level ones, which `apps.connections.open` refuses by type, not as unknown. */
const OTHER_TOKEN_TYPES = /^xox[abposr]-/;

export const appMethods: Record<string, MethodSpec> = {
  // Authenticates with an app-level token (xapp-...), which the rest of the Web API does not accept: hence no needsToken.
  'apps.connections.open': {
    needsToken: false,
    handle(ctx) {
      const { token } = ctx;
      if (token === undefined) return fail('not_authed');
      if (OTHER_TOKEN_TYPES.test(token)) return fail('not_allowed_token_type');
      if (!ctx.state.socketMode.isAppToken(token)) return fail('invalid_auth');
      return { ok: true, url: ctx.state.socketMode.mintUrl() };
    },
  },
};
