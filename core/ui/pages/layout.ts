import type { KubeObject } from '../../managed/types.ts';
import { html, type SafeHtml } from '../html.ts';
import { conditionTone } from '../tone.ts';

export type PageKind = 'overview' | 'tree' | 'resource' | 'login' | 'error';

/**
 * The page around a body: landmarks (banner, navigation, main, contentinfo), one script and one stylesheet from
 * /static (the CSP allows nothing else). data-keys lists the objects shown, so a live change to any of them
 * refreshes the page's content in place.
 */
export function page(options: { title: string; kind: PageKind; keys?: readonly string[]; body: SafeHtml; user?: string }): string {
  const doc = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Pledge</title>
<link rel="stylesheet" href="/static/ui.css">
<script src="/static/ui.js" defer></script>
</head>
<body data-page="${options.kind}" data-keys="${(options.keys ?? []).join(' ')}">
<a class="skip" href="#main">Skip to content</a>
<header><nav aria-label="Main"><a href="/" class="brand">Pledge</a> <a href="/">Overview</a>${options.user ? html` <span class="who">signed in as ${options.user}</span> <a href="/logout">Sign out</a>` : ''}</nav></header>
<main id="main">
${options.body}
</main>
<footer><p>Read-only view from the controller's caches. Live updates: <span id="live-status" role="status">connecting</span></p></footer>
</body>
</html>
`;
  return doc.text;
}

/** Ready/Synced in words and in a coloured badge: colour is never the only signal. */
export function badge(type: string, status: string): SafeHtml {
  const word = status === 'True' ? type : status === 'False' ? `Not ${type.toLowerCase()}` : `${type} unknown`;
  return html`<span class="badge ${conditionTone(type, status)}" data-status="${status}">${word}</span>`;
}

export function conditionStatus(obj: KubeObject, type: string): 'True' | 'False' | 'Unknown' {
  const s = conditionsOf(obj).find((c) => c.type === type)?.status;
  return s === 'True' || s === 'False' ? s : 'Unknown';
}

export interface ShownCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function conditionsOf(obj: KubeObject): ShownCondition[] {
  const status = obj.status as { conditions?: unknown } | undefined;
  return Array.isArray(status?.conditions) ? (status.conditions as ShownCondition[]).filter((c) => c && typeof c.type === 'string') : [];
}
