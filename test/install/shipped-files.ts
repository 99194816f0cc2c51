// What a release ships: the paths the Dockerfile copies into /app, less what .dockerignore leaves out.
// test/install/image-files.test.ts checks that the Dockerfile and .dockerignore say the same.
import { basename } from 'node:path';

export const SHIPPED_PATHS = ['package.json', 'package-lock.json', 'bin', 'core', 'providers', 'compositions', 'crds', 'health/lua'] as const;

/** Folders and files inside SHIPPED_PATHS that only tests use. */
export const NOT_SHIPPED = ['**/*.test.ts', '**/testdata'] as const;

export function shipped(path: string): boolean {
  const name = basename(path);
  return !name.endsWith('.test.ts') && name !== 'testdata';
}
