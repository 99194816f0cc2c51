// Reads a server-sent event stream with fetch, as a browser's EventSource would, collecting each event.

export interface SseStream {
  events: Array<{ event: string; data: string }>;
  /** Resolves once the server's first event (hello) arrived: the stream is subscribed. */
  opened: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const stop = new AbortController();
  const res = await fetch(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: stop.signal });
  if (res.status !== 200 || !res.body) throw new Error(`GET ${url}: ${res.status}`);
  const events: Array<{ event: string; data: string }> = [];
  let markOpened: () => void = () => {};
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  const decoder = new TextDecoder();
  let buffer = '';
  const body = res.body;
  void (async () => {
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
          const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
          if (lines.some((l) => l.startsWith('data: '))) {
            events.push({ event, data });
            if (event === 'hello') markOpened();
          }
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, opened, close: () => stop.abort() };
}

/** The object addresses named by the stream's change events so far. */
export function changedKeys(stream: SseStream): string[] {
  return stream.events.filter((e) => e.event === 'change').flatMap((e) => (JSON.parse(e.data) as { keys?: string[] }).keys ?? []);
}
