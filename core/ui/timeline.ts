import { escapeHtml, trusted, type SafeHtml } from './html.ts';
import { conditionTone } from './tone.ts';

export interface TimelineInput {
  created?: string;
  conditions: ReadonlyArray<{ type: string; status: string; reason?: string; lastTransitionTime?: string }>;
  /** Earlier transitions (seen by this process): each condition's row shows every status it held since. */
  history?: ReadonlyArray<{ type: string; status: string; reason?: string; at: string }>;
  events: ReadonlyArray<{ type?: string; reason?: string; time?: string; count?: number }>;
  now: number;
}

export const TIMELINE = { width: 640, rowHeight: 28, labelWidth: 110, pad: 10 } as const;

/**
 * A small timeline: one row per condition, a mark at its last transition with its status in words, and a row of
 * events (Warnings drawn as triangles, Normal as circles), from the object's creation to now.
 */
export function timelineSvg(input: TimelineInput): SafeHtml {
  const { width, rowHeight, labelWidth, pad } = TIMELINE;
  const times = [
    ...input.conditions.map((c) => Date.parse(c.lastTransitionTime ?? '')),
    ...(input.history ?? []).map((t) => Date.parse(t.at)),
    ...input.events.map((e) => Date.parse(e.time ?? '')),
    Date.parse(input.created ?? ''),
  ].filter((t) => !Number.isNaN(t));
  const start = Math.min(input.now - 60_000, ...times);
  const span = Math.max(1, input.now - start);
  const left = labelWidth + pad;
  const right = width - pad - 90;
  const at = (iso: string | undefined) => {
    const t = Date.parse(iso ?? '');
    return Number.isNaN(t) ? undefined : left + ((t - start) / span) * (right - left);
  };
  const rows: string[] = [];
  const row = (i: number) => pad + i * rowHeight + rowHeight / 2;
  input.conditions.forEach((c, i) => {
    const y = row(i);
    const word = c.status === 'True' ? c.type : `not ${c.type}`;
    rows.push(`<text x="${pad}" y="${y + 4}">${escapeHtml(c.type)}</text><line class="axis" x1="${left}" y1="${y}" x2="${right}" y2="${y}"/>`);
    // Every status the condition held, in time order, each drawn until the next began (the last until now).
    const points = [...(input.history ?? []).filter((t) => t.type === c.type), { status: c.status, reason: c.reason, at: c.lastTransitionTime ?? '' }]
      .filter((p, j, all) => at(p.at) !== undefined && all.findIndex((q) => q.at === p.at && q.status === p.status) === j)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    points.forEach((p, j) => {
      const x1 = at(p.at) as number;
      const next = points[j + 1];
      const x2 = next ? (at(next.at) as number) : right;
      rows.push(
        `<line class="span ${conditionTone(c.type, p.status)}" x1="${x1}" y1="${y}" x2="${x2}" y2="${y}"/><circle class="${conditionTone(c.type, p.status)}" cx="${x1}" cy="${y}" r="5"><title>${escapeHtml(`${c.type}=${p.status} ${p.reason ?? ''} at ${p.at}`)}</title></circle>`,
      );
    });
    rows.push(`<text x="${right + 8}" y="${y + 4}">${escapeHtml(word)}</text>`);
  });
  const ey = row(input.conditions.length);
  rows.push(`<text x="${pad}" y="${ey + 4}">Events</text><line class="axis" x1="${left}" y1="${ey}" x2="${right}" y2="${ey}"/>`);
  for (const e of input.events) {
    const x = at(e.time);
    if (x === undefined) continue;
    const title = `<title>${escapeHtml(`${e.type ?? ''} ${e.reason ?? ''} ×${e.count ?? 1} at ${e.time}`)}</title>`;
    rows.push(
      e.type === 'Warning'
        ? `<path class="bad" d="M${x},${ey - 6} L${x + 6},${ey + 5} L${x - 6},${ey + 5} Z">${title}</path>`
        : `<circle class="ok" cx="${x}" cy="${ey}" r="4">${title}</circle>`,
    );
  }
  rows.push(`<text x="${right + 8}" y="${ey + 4}">${input.events.length} event${input.events.length === 1 ? '' : 's'}</text>`);
  const height = pad * 2 + (input.conditions.length + 1) * rowHeight;
  return trusted(`<svg data-testid="timeline" role="img" aria-label="Timeline of conditions and events" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows.join('')}</svg>`);
}
