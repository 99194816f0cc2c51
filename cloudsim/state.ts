/**
 * Everything the simulated clouds hold, in memory, optionally persisted to a JSON file (written shortly
 * after each change and on stop, read at start). Timed transitions are stored as instants, not timers,
 * so a reloaded state picks up where it was.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { ArmState } from './arm-records.ts';
import type { GcsState } from './gcs-records.ts';
import type { Identities } from './identities.ts';
import type { RdsState } from './rds-records.ts';
import type { S3State } from './s3-records.ts';

export type CloudState = {
  version: 1;
  s3: S3State;
  rds: RdsState;
  arm: ArmState;
  gcs: GcsState;
  /** HMAC key of the access tokens cloudsim issues (base64); kept so tokens survive a restart. */
  tokenKey: string;
  identities?: Identities;
};

export function emptyState(): CloudState {
  return {
    version: 1,
    s3: { buckets: {} },
    rds: { instances: {}, snapshots: {} },
    arm: { resourceGroups: {}, storageAccounts: {}, operations: {} },
    gcs: { buckets: {} },
    tokenKey: randomBytes(32).toString('base64'),
  };
}

export const STATE_DEFAULTS = { saveDelayMs: 100 } as const;

export class StateStore {
  readonly path: string | undefined;
  state: CloudState = emptyState();
  #timer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();
  #log: (message: string) => void;

  constructor(options: { path?: string; log: (message: string) => void }) {
    this.path = options.path;
    this.#log = options.log;
  }

  get tokenKey(): Buffer {
    return Buffer.from(this.state.tokenKey, 'base64');
  }

  /** Reads the state file when there is one; a missing file is an empty state. */
  async load(): Promise<void> {
    if (this.path === undefined) return;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err: unknown) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const parsed = JSON.parse(text) as Partial<CloudState>;
    if (parsed.version !== 1) throw new Error(`cloudsim: ${this.path}: unknown state version ${String(parsed.version)}`);
    const empty = emptyState();
    this.state = {
      ...empty,
      ...parsed,
      s3: { ...empty.s3, ...parsed.s3 },
      rds: { ...empty.rds, ...parsed.rds },
      arm: { ...empty.arm, ...parsed.arm },
      gcs: { ...empty.gcs, ...parsed.gcs },
    };
  }

  /** Call after every change: the file is rewritten shortly after. */
  changed(): void {
    if (this.path === undefined || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush().catch((err: unknown) => this.#log(`cloudsim: could not save state to ${this.path ?? ''}: ${String(err)}`));
    }, STATE_DEFAULTS.saveDelayMs);
    this.#timer.unref();
  }

  /** Writes the state now (atomically: a temp file, then rename). */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const path = this.path;
    if (path === undefined) return;
    const text = JSON.stringify(this.state, null, 1);
    this.#saving = this.#saving.then(async () => {
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, path);
    });
    await this.#saving;
  }

  /** Forgets every resource; keeps the token key and identities. */
  clearResources(): void {
    const { tokenKey, identities } = this.state;
    this.state = { ...emptyState(), tokenKey, ...(identities ? { identities } : {}) };
    this.changed();
  }
}
