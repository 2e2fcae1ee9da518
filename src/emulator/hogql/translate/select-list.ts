/**
 * The SELECT list's items and names: `*` expanded to PostHog's default columns, the name PostHog prints for each
 * column, and the name a subquery's column is visible under from outside.
 */
import type { AliasNode, AstNode, FieldNode, SelectQueryNode } from '../ast.js';
import { unsupported } from '../errors.js';
import { printHogQL } from '../printer.js';
import type { OutputColumn, Scope } from './context.js';

export interface SelectItem {
  expr: AstNode;
  alias?: string;
  /** What PostHog prints as the column name. */
  name: string;
  /** The SQL column name, which a subquery's reader refers to. */
  exportName: string;
}

/** A field's last part names its column (`e.event` is `event` outside the subquery); anything else its HogQL. */
function exportName(item: AstNode): string {
  if (item.node === 'Alias') return (item as AliasNode).alias;
  if (item.node === 'Field') {
    const chain = (item as FieldNode).chain;
    return String(chain[chain.length - 1]);
  }
  return printHogQL(item);
}

const isStar = (item: AstNode): item is FieldNode => item.node === 'Field' && (item as FieldNode).chain.at(-1) === '*';

export function expandSelect(scope: Scope, select: AstNode[]): SelectItem[] {
  return select.flatMap((node): SelectItem[] => {
    if (node.node === 'Alias') {
      const a = node as AliasNode;
      return [{ expr: a.expr, alias: a.alias, name: a.alias, exportName: a.alias }];
    }
    if (isStar(node)) return expandStar(scope, node.chain.slice(0, -1).map(String));
    return [{ expr: node, name: printHogQL(node), exportName: exportName(node) }];
  });
}

function expandStar(scope: Scope, prefix: string[]): SelectItem[] {
  let sources = scope.sources;
  if (prefix.length) {
    const source = scope.source(prefix[0]!);
    if (!source || prefix.length > 1) throw unsupported(`Unable to resolve field: ${prefix.join('.')}`);
    sources = [source];
  }
  if (!sources.length) throw unsupported('SELECT * needs a FROM clause');
  const out: SelectItem[] = [];
  for (const source of sources) {
    const names = source.table ? source.table.star : [...(source.columns?.keys() ?? [])];
    for (const name of names) {
      const field: FieldNode = { node: 'Field', chain: sources.length > 1 || prefix.length ? [source.name, name] : [name] };
      out.push({ expr: field, name, exportName: name });
    }
  }
  return out;
}

/** The names a subquery's columns are visible under (alias, or a field's last name); all printed names after `*`. */
export function exportNames(node: SelectQueryNode, columns: OutputColumn[]): string[] {
  if (node.select.some(isStar)) return columns.map((c) => c.name);
  return node.select.map(exportName);
}
