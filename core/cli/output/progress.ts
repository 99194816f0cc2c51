/** How long work runs before a progress line appears: quick verbs stay quiet. */
const QUIET_MS = 1000;

export interface Progress {
  update(text: string): void;
  done(): void;
}

/**
 * A progress line on stderr for work that takes more than a second: redrawn in place on a terminal,
 * one line per change otherwise (CI logs), never on stdout where data goes.
 */
export function startProgress(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Progress {
  const started = now();
  let last = '';
  let drawn = false;
  return {
    update(text) {
      if (text === last || now() - started < QUIET_MS) return;
      last = text;
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${text}`);
        drawn = true;
      } else {
        stream.write(`${text}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
