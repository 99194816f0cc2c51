import type { Watch } from '@kubernetes/client-node';
import type { ApiResource } from './discovery.ts';
import { kindsIn, type TraceNode } from './tree.ts';

export interface WatchOptions {
  /** Builds the tree afresh; undefined when the root object is gone. */
  build(): Promise<TraceNode | undefined>;
  /** The frame to print, and what decides whether it changed (a frame without ages, which change every second). */
  frame(tree: TraceNode): { text: string; key: string };
  gone: string;
  resources: readonly ApiResource[];
  out: NodeJS.WriteStream;
  watcher: Watch;
}

/** Quiet time after a watch event before the tree is read again: one redraw for a burst of writes. */
const SETTLE_MS = 200;
const RESTART_MS = 1000;

/**
 * Watches every kind in the tree (the set is recomputed on each change, so a newly composed kind is watched too) and
 * prints a frame whenever what it shows changes: redrawn in place on a terminal, appended otherwise. Runs until SIGINT.
 */
export async function watchTree(first: TraceNode, options: WatchOptions): Promise<void> {
  const { out } = options;
  const watches = new Map<string, AbortController | undefined>();
  let lastKey = '';
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const print = (text: string) => out.write(out.isTTY ? `\x1b[H\x1b[2J${text}` : `${lastKey === '' ? '' : '\n'}${text}`);

  const show = (tree: TraceNode | undefined) => {
    const { text, key } = tree ? options.frame(tree) : { text: `${options.gone}\n`, key: 'gone' };
    if (key === lastKey) return;
    print(text);
    lastKey = key;
    if (tree) for (const [path] of kindsIn(tree, options.resources)) if (!watches.has(path)) start(path);
  };

  const refresh = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        if (!stopped) show(await options.build());
      });
    }, SETTLE_MS);
  };

  const start = (path: string) => {
    watches.set(path, undefined);
    options.watcher
      .watch(path, { allowWatchBookmarks: false }, () => refresh(), () => {
        // The server ends watches now and then: start again, and read the tree in case something was missed.
        if (stopped) return;
        setTimeout(() => {
          if (stopped) return;
          start(path);
          refresh();
        }, RESTART_MS);
      })
      .then((abort) => {
        if (stopped) abort.abort();
        else watches.set(path, abort);
      })
      .catch(() => {
        if (!stopped) setTimeout(() => stopped || start(path), RESTART_MS);
      });
  };

  show(first);
  await new Promise<void>((resolve) => {
    const stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const abort of watches.values()) abort?.abort();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
