import { escapeHtml, trusted, type SafeHtml } from './html.ts';
import { addressPath } from './paths.ts';
import { nodeState, type UiNode } from './tree-model.ts';

export const GRAPH = { nodeWidth: 240, nodeHeight: 52, columnGap: 60, rowGap: 16, pad: 8 } as const;

export interface Placed {
  node: UiNode;
  depth: number;
  /** Row, in node heights: a leaf takes the next row, a parent sits at the middle of its children. */
  row: number;
  parent?: Placed;
}

/** A tidy left-to-right layout: depth is the column; leaves take consecutive rows; parents centre on their children. */
export function layout(root: UiNode): Placed[] {
  const out: Placed[] = [];
  let nextRow = 0;
  const place = (node: UiNode, depth: number, parent?: Placed): Placed => {
    const placed: Placed = { node, depth, row: 0, parent };
    out.push(placed);
    if (node.children.length === 0) {
      placed.row = nextRow++;
      return placed;
    }
    const rows = node.children.map((c) => place(c, depth + 1, placed).row);
    placed.row = (Math.min(...rows) + Math.max(...rows)) / 2;
    return placed;
  };
  place(root, 0);
  return out;
}

const readyWord = (ready: string) => (ready === 'True' ? 'Ready' : ready === 'False' ? 'Not ready' : 'Unknown');
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The tree drawn as an SVG graph; each node links to its resource page and says Ready in words, not only in colour. */
export function graphSvg(root: UiNode): SafeHtml {
  const placed = layout(root);
  const { nodeWidth: w, nodeHeight: h, columnGap, rowGap, pad } = GRAPH;
  const x = (p: Placed) => pad + p.depth * (w + columnGap);
  const y = (p: Placed) => pad + p.row * (h + rowGap);
  const width = pad * 2 + (Math.max(...placed.map((p) => p.depth)) + 1) * (w + columnGap) - columnGap;
  const height = pad * 2 + (Math.max(...placed.map((p) => p.row)) + 1) * (h + rowGap) - rowGap;
  const edges = placed
    .filter((p) => p.parent)
    .map((p) => {
      const parent = p.parent as Placed;
      const x1 = x(parent) + w;
      const y1 = y(parent) + h / 2;
      const x2 = x(p);
      const y2 = y(p) + h / 2;
      const mid = (x1 + x2) / 2;
      return `<path class="edge" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}"/>`;
    });
  const nodes = placed.map((p, i) => {
    const state = nodeState(p.node);
    const cls = p.node.type ? (state.ready === 'True' ? 'ok' : state.ready === 'False' || state.synced === 'False' ? 'bad' : 'wait') : 'plain';
    const key = p.node.type ? addressPath(p.node.type, p.node.namespace, p.node.name) : '';
    const title = `${p.node.kind} ${p.node.name}: ${p.node.type ? readyWord(state.ready) : (p.node.problem ?? '')}`;
    // Names are cut to fit, and the box clips what a wide font would still push past its edge.
    const body = [
      `<clipPath id="node-clip-${i}"><rect x="${x(p) + 4}" y="${y(p)}" width="${w - 8}" height="${h}"/></clipPath>`,
      `<rect class="node-box ${cls}" x="${x(p)}" y="${y(p)}" width="${w}" height="${h}" rx="6"/>`,
      `<g clip-path="url(#node-clip-${i})">`,
      `<text x="${x(p) + 8}" y="${y(p) + 20}" class="node-kind">${escapeHtml(clip(p.node.kind, 17))}</text>`,
      `<text x="${x(p) + w - 8}" y="${y(p) + 20}" text-anchor="end">${escapeHtml(p.node.type ? readyWord(state.ready) : 'name only')}</text>`,
      `<text x="${x(p) + 8}" y="${y(p) + 40}">${escapeHtml(clip(p.node.name, 27))}</text>`,
      '</g>',
    ].join('');
    const group = `<g data-key="${escapeHtml(key)}" data-ready="${state.ready}"><title>${escapeHtml(title)}</title>${body}</g>`;
    return p.node.type && p.node.object ? `<a href="/resource/${escapeHtml(key)}">${group}</a>` : group;
  });
  return trusted(
    `<svg data-testid="graph" role="group" aria-label="Graph of ${escapeHtml(root.kind)} ${escapeHtml(root.name)} and what it composes" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${edges.join('')}${nodes.join('')}</svg>`,
  );
}
