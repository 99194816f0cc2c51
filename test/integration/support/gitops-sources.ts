// Which files of this repository an Argo CD Application syncs: its sources' paths, filtered by
// directory.include/exclude the way Argo CD's directory source does (one folder, or recursive), so a
// test can apply exactly what Argo CD would.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

interface DirectorySource {
  path: string;
  directory?: { include?: string; exclude?: string; recurse?: boolean };
}

export interface Application {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: { sources?: DirectorySource[]; source?: DirectorySource; syncPolicy?: { syncOptions?: string[] } };
}

export function readApplication(file: string): Application {
  return parse(readFileSync(file, 'utf8')) as Application;
}

/** Argo CD's globs: `*` within one path segment, `{a,b}` alternatives. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '[^/]*';
    else if (ch === '{') out += '(?:';
    else if (ch === '}') out += ')';
    else if (ch === ',') out += '|';
    else out += ch.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function manifestsUnder(dir: string, recurse: boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && recurse) out.push(...manifestsUnder(full, recurse));
    else if (entry.isFile() && /\.(ya?ml|json)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** The repository files the Application's sources select, as absolute paths. */
export function applicationFiles(app: Application, repo: string): string[] {
  const sources = app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
  return sources.flatMap((source) => {
    const root = join(repo, source.path);
    const include = source.directory?.include ? globToRegExp(source.directory.include) : undefined;
    const exclude = source.directory?.exclude ? globToRegExp(source.directory.exclude) : undefined;
    return manifestsUnder(root, source.directory?.recurse ?? false).filter((file) => {
      const rel = relative(root, file);
      return (!include || include.test(rel)) && !exclude?.test(rel);
    });
  });
}
