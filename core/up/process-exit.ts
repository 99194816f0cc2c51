// Synchronous clean-ups that must run however this Node process ends: normal exit, an uncaught
// error, or a fatal signal nobody else handles. They kill child processes and remove temp dirs.

const cleanups: (() => void)[] = [];
const fatalSignals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/** Registers a synchronous clean-up; returns the function that unregisters it. Clean-ups run last-registered first. */
export function onProcessExit(cleanup: () => void): () => void {
  install();
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.lastIndexOf(cleanup);
    if (index >= 0) cleanups.splice(index, 1);
  };
}

function runCleanups(): void {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is going away.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const signal of fatalSignals) {
    const onSignal = (): void => {
      // Another listener (such as run.ts) owns shutdown and will stop things in order.
      if (process.listenerCount(signal) > 1) return;
      runCleanups();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
