// The layout rules of DESIGN.md, checked: core imports neither providers nor compositions; a provider
// imports only core's contracts and never another provider; cloudsim imports nothing of Pledge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve, dirname } from 'node:path';

const root = resolve(new URL('../', import.meta.url).pathname);

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) out.push(relative(root, join(entry.parentPath, entry.name)));
  }
  return out;
}

async function localImports(file: string): Promise<string[]> {
  const text = await readFile(join(root, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm),
    // A dynamic import obeys the same rules (a kind loads the part that talks to its cloud on first connect).
    ...text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g),
  ];
  return specifiers.map((m) => relative(root, resolve(dirname(join(root, file)), m[1] ?? '')));
}

/** Contracts a provider may use: the managed-resource contract and its call gate, the typed errors, the CRD schema type. */
const PROVIDER_MAY_IMPORT = ['core/managed/types.ts', 'core/managed/cloud-call.ts', 'core/managed/field-diffs.ts', 'core/errors/index.ts', 'core/crd/schema.ts', 'core/crd/index.ts'];

test('core imports neither providers nor compositions nor cloudsim', async () => {
  for (const file of await sources('core')) {
    for (const target of await localImports(file)) {
      assert.ok(target.startsWith('core/'), `${file} imports ${target}`);
    }
  }
});

test('a provider imports only core contracts and its own folder, never another provider', async () => {
  const folders = (await readdir(join(root, 'providers'), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.ok(folders.includes('aws'));
  for (const cloud of folders) {
    for (const file of await sources(`providers/${cloud}`)) {
      if (file.endsWith('.test.ts')) continue;
      for (const target of await localImports(file)) {
        const ok = target.startsWith(`providers/${cloud}/`) || PROVIDER_MAY_IMPORT.includes(target);
        assert.ok(ok, `${file} imports ${target}`);
      }
    }
  }
});

test('cloudsim imports nothing of Pledge', async () => {
  let files: string[] = [];
  try {
    files = await sources('cloudsim');
  } catch {
    return assert.fail('cloudsim/ is missing');
  }
  for (const file of files) {
    for (const target of await localImports(file)) assert.ok(target.startsWith('cloudsim/'), `${file} imports ${target}`);
  }
});

test('compositions imports core and itself only', async () => {
  for (const file of await sources('compositions')) {
    for (const target of await localImports(file)) {
      assert.ok(target.startsWith('compositions/') || target.startsWith('core/'), `${file} imports ${target}`);
    }
  }
});

test('one controller runtime: only core/runtime/controller builds work queues, only core/runtime/informer makes informers', async () => {
  const everything = [...(await sources('core')), ...(await sources('compositions')), ...(await sources('providers')), ...(await sources('bin'))];
  for (const file of everything) {
    if (file.endsWith('.test.ts')) continue;
    const text = await readFile(join(root, file), 'utf8');
    if (!file.startsWith('core/runtime/controller/') && !file.startsWith('core/runtime/queue/')) assert.doesNotMatch(text, /createWorkQueue\(/, `${file} builds its own work queue`);
    if (!file.startsWith('core/runtime/informer/')) assert.doesNotMatch(text, /makeInformer|createInformer\(|new ListWatch/, `${file} makes its own informer`);
  }
});
