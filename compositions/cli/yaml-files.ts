// Reads the YAML files a verb is given, keeping where each object and field came from (file, line),
// so that every error can name them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { CliError } from '../../core/cli/output/index.ts';

export type JsonObject = { [key: string]: unknown };

export interface SourceObject {
  file: string;
  /** Line (1-based) where the document starts. */
  line: number;
  object: JsonObject;
  /** The line of a field path inside this object (its nearest existing ancestor when the field is absent). */
  lineOf(path: ReadonlyArray<string | number>): number;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Kind name` (or `Kind` when unnamed) as kubectl names an object. */
export function objectName(o: JsonObject): string {
  const meta = isObject(o.metadata) ? o.metadata : {};
  const kind = typeof o.kind === 'string' ? o.kind : '(no kind)';
  return typeof meta.name === 'string' ? `${kind} ${meta.name}` : kind;
}

function nodeLine(doc: Document, counter: LineCounter, path: ReadonlyArray<string | number>): number {
  let node: unknown = doc.contents;
  let best = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (pair) {
        const keyRange = (pair.key as Node | null)?.range;
        if (keyRange) best = keyRange[0];
        next = pair.value;
      }
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
      const range = (next as Node | undefined)?.range;
      if (range) best = range[0];
    }
    if (next === undefined) break;
    node = next;
  }
  return counter.linePos(best).line;
}

/** Every non-empty document of a YAML text; a syntax error names the file and line. */
export function parseYamlObjects(text: string, file: string): SourceObject[] {
  const counter = new LineCounter();
  const out: SourceObject[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: counter })) {
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0].line ?? counter.linePos(err.pos[0]).line;
      throw new CliError(`${file}:${line}: YAML syntax error: ${err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const start = counter.linePos((doc.contents as Node | null)?.range?.[0] ?? 0).line;
    if (!isObject(value)) throw new CliError(`${file}:${start}: expected a Kubernetes object (a YAML mapping)`);
    out.push({ file, line: start, object: value, lineOf: (path) => nodeLine(doc, counter, path) });
  }
  return out;
}

function yamlFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFilesIn(join(dir, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(dir, e.name)] : []))
    .sort();
}

/** The YAML (or JSON) files named, a directory standing for every such file under it. */
export function expandPaths(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new CliError(`${path}: no such file or directory`);
    }
    out.push(...(isDir ? yamlFilesIn(path) : [path]));
  }
  return out;
}

export function readYamlObjects(paths: readonly string[]): SourceObject[] {
  return expandPaths(paths).flatMap((file) => parseYamlObjects(readFileSync(file, 'utf8'), file));
}

/** Exactly one object from a file (the XR, the Composition). */
export function readOneObject(path: string, what: string): SourceObject {
  const objects = readYamlObjects([path]);
  const [first] = objects;
  if (first === undefined) throw new CliError(`${path}: no ${what} in the file`);
  if (objects.length > 1) throw new CliError(`${path}: expected one ${what}, found ${objects.length} objects`);
  return first;
}
