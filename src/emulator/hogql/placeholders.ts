/**
 * `{name}` placeholders replaced by constants from the request's `values`, as PostHog's replace_placeholders:
 * values become literals in the AST (never SQL text), so a value can not change the query's structure.
 * `{filters}` with no filters given means `true`.
 */
import type { AstNode } from './ast.js';
import { unsupported } from './errors.js';

function valueToAst(value: unknown, name: string): AstNode {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return { node: 'Constant', value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unsupported(`Placeholder {${name}} must be a finite number`);
    return { node: 'Constant', value };
  }
  if (Array.isArray(value)) return { node: 'Array', exprs: value.map((v) => valueToAst(v, name)) };
  throw unsupported(`Placeholder {${name}} has an unsupported value type: ${typeof value}`);
}

export function replacePlaceholders<T extends AstNode>(ast: T, values: Record<string, unknown>): T {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (typeof value !== 'object' || value === null) return value;
    const node = value as AstNode;
    if (node.node === 'Placeholder') {
      const expr = node.expr as AstNode | undefined;
      const chain = expr?.node === 'Field' ? (expr.chain as unknown[]) : undefined;
      if (!chain || chain.length !== 1 || typeof chain[0] !== 'string')
        throw unsupported('Placeholders can only hold a single name, like {name}');
      const name = chain[0];
      if (Object.hasOwn(values, name)) return valueToAst(values[name], name);
      if (name === 'filters') return { node: 'Constant', value: true };
      const available = Object.keys(values);
      throw unsupported(
        `Placeholder {${name}} is not available in this context. ${available.length ? `You can use the following: ${available.join(', ')}` : 'No values were provided.'}`,
      );
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(node)) out[key] = key === 'start' || key === 'end' ? child : visit(child);
    return out;
  };
  return visit(ast) as T;
}
