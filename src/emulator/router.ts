/**
 * A tiny path router. Patterns are `/`-separated segments: a literal, `:name` (captures one segment), or `a|b`
 * (one of several literals, captured under `$n` where n is the segment index). Trailing slashes are optional, as
 * in PostHog (its routers accept both).
 */

export type Params = Record<string, string>;

export type RouteMatch<H> = { kind: 'found'; handler: H; params: Params } | { kind: 'method_not_allowed' } | { kind: 'none' };

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(method: string, pattern: string, handler: H): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch<H> {
    const parts = split(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (params === null) continue;
      if (route.method === method.toUpperCase()) return { kind: 'found', handler: route.handler, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'method_not_allowed' } : { kind: 'none' };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(pattern: string[], parts: string[]): Params | null {
  if (pattern.length !== parts.length) return null;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    let got: string;
    try {
      got = decodeURIComponent(parts[i] as string);
    } catch {
      return null;
    }
    if (want.startsWith(':')) {
      params[want.slice(1)] = got;
    } else if (want.includes('|')) {
      if (!want.split('|').includes(got)) return null;
      params[`$${i}`] = got;
    } else if (want !== got) {
      return null;
    }
  }
  return params;
}
