import pretty from 'pino-pretty';
import { pino, type Logger } from 'pino';

/**
 * Human-readable lines on a terminal (pino-pretty as a synchronous stream in this thread: no worker, nothing lost on
 * exit), JSON lines otherwise (a pipe, a file, `--detach`'s log).
 */
export function upLogger(options: { level: string; stream?: NodeJS.WriteStream }): Logger {
  const stream = options.stream ?? process.stdout;
  const base = { level: options.level, base: { component: 'pledge' } };
  if (!stream.isTTY) return pino(base, stream);
  return pino(base, pretty({ sync: true, colorize: true, destination: stream, ignore: 'pid,hostname,component', translateTime: 'HH:MM:ss' }));
}
