import { formatData, formatTable, type Paint } from '../output/index.ts';
import { summarise, type Summary } from './summary.ts';
import type { TraceNode } from './tree.ts';

export const TRACE_FORMATS = ['table', 'wide', 'json', 'yaml', 'dot'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

/** The default table cuts STATUS here, as Crossplane's trace does; `-o wide` prints it whole. */
const STATUS_WIDTH = 64;

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

function label(node: TraceNode, wide: boolean, root: boolean): string {
  const group = groupOf(node.apiVersion);
  const kind = wide && group ? `${node.kind}.${group}` : node.kind;
  // The root shows its namespace, as kubectl would; a Secret shows its own (it may differ from its owner's).
  const ns = node.namespace && (root || node.kind === 'Secret') ? ` (${node.namespace})` : '';
  return `${kind}/${node.name}${ns}`;
}

function flatten(node: TraceNode, prefix: string, childPrefix: string, out: Array<{ name: string; node: TraceNode }>, wide: boolean, root = false): void {
  out.push({ name: prefix + label(node, wide, root), node });
  node.children.forEach((child, i) => {
    const last = i === node.children.length - 1;
    flatten(child, childPrefix + (last ? '└─ ' : '├─ '), childPrefix + (last ? '   ' : '│  '), out, wide);
  });
}

function paintStatus(paint: Paint, value: string): string {
  if (value === 'True') return paint('green', value);
  if (value === 'False') return paint('red', value);
  if (value === 'Unknown') return paint('yellow', value);
  return value;
}

function cut(text: string, width: number): string {
  const one = text.replace(/\s*\n\s*/g, ' ');
  return one.length > width ? `${one.slice(0, width - 3)}...` : one;
}

export function renderTable(tree: TraceNode, options: { wide: boolean; paint: Paint; now?: number }): string {
  const { wide, paint } = options;
  const rows: Array<{ name: string; node: TraceNode }> = [];
  flatten(tree, '', '', rows, wide, true);
  // -o wide prints STATUS whole, so last: a long cloud message then pushes no other column away.
  const headers = wide
    ? ['NAME', 'SYNCED', 'READY', 'EXTERNAL-NAME', 'PROVIDERCONFIG', 'AGE', 'COMPOSITION', 'STATUS']
    : ['NAME', 'SYNCED', 'READY', 'STATUS', 'EXTERNAL-NAME', 'PROVIDERCONFIG', 'AGE'];
  const cells = rows.map(({ name, node }) => {
    const s: Summary = summarise(node, options.now);
    const status = wide ? s.status.replace(/\s*\n\s*/g, ' ') : cut(s.status, STATUS_WIDTH);
    const statusCell = node.problem || s.synced === 'False' || s.ready === 'False' ? paint('red', status) : status;
    const [synced, ready] = [paintStatus(paint, s.synced), paintStatus(paint, s.ready)];
    return wide
      ? [name, synced, ready, s.externalName, s.providerConfig, s.age, s.composition, statusCell]
      : [name, synced, ready, statusCell, s.externalName, s.providerConfig, s.age];
  });
  return formatTable(headers, cells);
}

/** The tree as data: what each row says, the object itself (a Secret's metadata only), and the children. */
export function treeJson(node: TraceNode, now?: number): unknown {
  const s = summarise(node, now);
  return {
    apiVersion: node.apiVersion,
    kind: node.kind,
    name: node.name,
    ...(node.namespace ? { namespace: node.namespace } : {}),
    exists: node.object !== undefined,
    ...(node.problem ? { problem: node.problem } : {}),
    synced: s.synced,
    ready: s.ready,
    status: s.status,
    ...(s.externalName ? { externalName: s.externalName } : {}),
    ...(s.providerConfig ? { providerConfig: s.providerConfig } : {}),
    ...(s.composition ? { composition: s.composition } : {}),
    ...(node.object ? { object: node.object } : {}),
    children: node.children.map((c) => treeJson(c, now)),
  };
}

const quote = (text: string) => `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replace(/\r?\n/g, '\\n')}"`;

/** Graphviz: one box per object, edges parent → child; red when not Ready or not Synced, green when both True. */
export function renderDot(tree: TraceNode, now?: number): string {
  const lines = ['digraph trace {', '  rankdir=TB;', '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica"];'];
  let next = 0;
  const visit = (node: TraceNode): string => {
    const id = `n${next++}`;
    const s = summarise(node, now);
    const group = groupOf(node.apiVersion);
    const text = [`${node.kind}${group ? `.${group}` : ''}`, node.namespace ? `${node.namespace}/${node.name}` : node.name];
    if (s.synced || s.ready) text.push(`Synced: ${s.synced || '-'}  Ready: ${s.ready || '-'}`);
    if (s.status) text.push(cut(s.status, STATUS_WIDTH));
    const bad = node.problem !== undefined || s.synced === 'False' || s.ready === 'False';
    const good = node.problem === undefined && (node.kind === 'Secret' || (s.ready === 'True' && s.synced !== 'False'));
    const colour = bad ? 'red' : good ? 'green' : 'gold';
    lines.push(`  ${id} [label=${quote(text.join('\n'))}, color=${colour}];`);
    for (const child of node.children) lines.push(`  ${id} -> ${visit(child)};`);
    return id;
  };
  visit(tree);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The output of one frame in the chosen format. */
export function render(tree: TraceNode, format: TraceFormat, paint: Paint, now?: number): string {
  if (format === 'json' || format === 'yaml') return formatData(format, treeJson(tree, now));
  if (format === 'dot') return renderDot(tree, now);
  return renderTable(tree, { wide: format === 'wide', paint, now });
}
