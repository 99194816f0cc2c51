import type { Logger } from 'pino';
import type { Controller } from './controller.ts';

/**
 * Runs controllers, including ones added after it started (a composite kind served later), and
 * waits for every one of them: run() resolves when the signal aborts and all have finished their
 * items, and rejects with the first controller's failure after stopping the rest.
 */
export interface ControllerGroup {
  /** Starts the controller now if the group runs, else when it does; stop() ends just this one. */
  add(controller: Controller, stop?: AbortSignal): void;
  run(signal: AbortSignal): Promise<void>;
}

export function createControllerGroup(options: { logger: Logger }): ControllerGroup {
  const pending: Array<{ controller: Controller; stop?: AbortSignal }> = [];
  const running = new Set<Promise<void>>();
  let failure: { err: unknown } | undefined;
  let inner: AbortController | undefined;
  let wake: () => void = () => {};

  function launch(controller: Controller, stop: AbortSignal | undefined, group: AbortController) {
    const signal = stop ? AbortSignal.any([group.signal, stop]) : group.signal;
    const run = controller.start(signal).catch((err: unknown) => {
      options.logger.error({ err, controller: controller.name }, 'controller failed, stopping');
      failure ??= { err };
      group.abort(err);
    });
    running.add(run);
    void run.finally(() => {
      running.delete(run);
      wake();
    });
  }

  return {
    add(controller, stop) {
      if (inner) launch(controller, stop, inner);
      else pending.push({ controller, stop });
    },
    async run(signal) {
      const group = new AbortController();
      inner = group;
      const forward = () => group.abort(signal.reason);
      signal.addEventListener('abort', forward, { once: true });
      if (signal.aborted) forward();
      for (const { controller, stop } of pending.splice(0)) launch(controller, stop, group);
      // Controllers may be added while others run: wait until none is left running after the stop.
      while (!group.signal.aborted || running.size > 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (group.signal.aborted && running.size === 0) resolve();
          group.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      }
      signal.removeEventListener('abort', forward);
      if (failure) throw failure.err;
    },
  };
}
