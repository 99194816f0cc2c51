import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../managed/types.ts';

/** One object from a manifest file, with where it starts (for messages). */
export interface Manifest {
  object: KubeObject;
  file: string;
  line: number;
}

/** A problem with the input, already naming file and line. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

export function where(m: Pick<Manifest, 'file' | 'line'>): string {
  return `${m.file}:${m.line}`;
}

async function filesOf(path: string): Promise<string[]> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new ManifestError(`${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return names.map((n) => join(path, n));
}

/** Every object in the files (directories: their .yaml/.yml files), in order; YAML errors name file and line. */
export async function readManifests(paths: readonly string[]): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const path of paths) {
    for (const file of await filesOf(path)) {
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(await readFile(file, 'utf8'), { lineCounter });
      if (!Array.isArray(docs)) continue;
      for (const doc of docs) {
        const problem = doc.errors[0];
        if (problem) {
          const { line, col } = lineCounter.linePos(problem.pos[0]);
          throw new ManifestError(`${file}:${line}:${col}: YAML syntax error: ${problem.message.split('\n')[0]}`);
        }
        const object: unknown = doc.toJS();
        if (object === null || object === undefined) continue;
        const line = lineCounter.linePos(doc.contents?.range[0] ?? 0).line;
        if (typeof object !== 'object' || Array.isArray(object)) throw new ManifestError(`${file}:${line}: expected a Kubernetes object (a mapping), found ${Array.isArray(object) ? 'a list' : typeof object}`);
        const obj = object as KubeObject;
        if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') throw new ManifestError(`${file}:${line}: object has no apiVersion or kind`);
        if (obj.kind === 'List' && Array.isArray(obj.items)) {
          for (const item of obj.items as KubeObject[]) out.push({ object: item, file, line });
          continue;
        }
        out.push({ object: obj, file, line });
      }
    }
  }
  return out;
}
