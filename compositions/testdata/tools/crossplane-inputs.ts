// Turns a case's Pledge Composition into what `crossplane render` takes: an
// apiextensions.crossplane.io/v1 Composition in Pipeline mode with one function-patch-and-transform
// step (followed by a function-auto-ready step when the Composition has spec.autoReady), and the
// Functions, which render reaches over gRPC (Development runtime) instead of Docker.
//
//   node crossplane-inputs.ts <case dir> <out dir> <P&T target host:port> <auto-ready target host:port>
//
// writes <out dir>/{xr,composition,functions,observed}.yaml, and probe-request.json for a case
// with observed-connection-details.yaml (see connection-details-probe/). Every file is written as JSON (which
// is YAML): the case files are read with the `yaml` package (YAML 1.2, as Pledge's test reads them),
// while crossplane reads YAML 1.1, where `on`, `off`, `yes`, `no` are booleans. JSON leaves no room
// for the two to read a case differently.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type JsonObject, objectAt, observedByTemplate, readCase } from './case-files.ts';

// The P&T input shape is the runtime's (`pledge render` reads it back from the Composition this writes).
import { AUTO_READY, PATCH_AND_TRANSFORM, patchAndTransformInput } from '../../crossplane-input.ts';

export { patchAndTransformInput };
export const FUNCTION_NAME = PATCH_AND_TRANSFORM.functionName;

export const crossplaneInputDefaults = {
  /** Package named in the Function object; render never pulls it with the Development runtime. */
  functionPackage: 'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.10.7',
  stepName: 'patch-and-transform',
  autoReadyPackage: 'xpkg.crossplane.io/crossplane-contrib/function-auto-ready:v0.7.0',
  autoReadyStepName: 'automatically-detect-ready-composed-resources',
};

export function crossplaneComposition(name: string, composition: JsonObject, options = crossplaneInputDefaults): JsonObject {
  const spec = objectAt(composition, 'spec');
  if (spec === undefined) throw new Error(`${name}: composition has no spec`);
  return {
    apiVersion: 'apiextensions.crossplane.io/v1',
    kind: 'Composition',
    metadata: { name },
    spec: {
      compositeTypeRef: spec.compositeTypeRef,
      mode: 'Pipeline',
      pipeline: [
        {
          step: options.stepName,
          functionRef: { name: FUNCTION_NAME },
          input: patchAndTransformInput(spec),
        },
        ...(spec.autoReady === true ? [{ step: options.autoReadyStepName, functionRef: { name: AUTO_READY.functionName } }] : []),
      ],
    },
  };
}

export function developmentFunction(target: string, options = crossplaneInputDefaults, name: string = FUNCTION_NAME, pkg = options.functionPackage): JsonObject {
  return {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: {
      name,
      annotations: {
        'render.crossplane.io/runtime': 'Development',
        'render.crossplane.io/runtime-development-target': target,
      },
    },
    spec: { package: pkg },
  };
}

function main(argv: string[]): void {
  const [caseDir, outDir, target, autoReadyTarget] = argv;
  if (caseDir === undefined || outDir === undefined || target === undefined || autoReadyTarget === undefined) {
    throw new Error('usage: crossplane-inputs.ts <case dir> <out dir> <P&T host:port> <auto-ready host:port>');
  }
  const files = readCase(caseDir, basename(caseDir));
  mkdirSync(outDir, { recursive: true });
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  writeFileSync(join(outDir, 'xr.yaml'), json(files.composite));
  writeFileSync(join(outDir, 'composition.yaml'), json(crossplaneComposition(files.name, files.composition)));
  const functions = [developmentFunction(target), developmentFunction(autoReadyTarget, crossplaneInputDefaults, AUTO_READY.functionName, crossplaneInputDefaults.autoReadyPackage)];
  writeFileSync(join(outDir, 'functions.yaml'), functions.map(json).join('---\n'));
  writeFileSync(join(outDir, 'observed.yaml'), files.observed.map(json).join('---\n'));
  if (Object.keys(files.observedConnectionDetails).length > 0) {
    const spec = objectAt(files.composition, 'spec') ?? {};
    const request = {
      composite: files.composite,
      observed: observedByTemplate(files.observed, files.observedConnectionDetails),
      input: patchAndTransformInput(spec),
    };
    writeFileSync(join(outDir, 'probe-request.json'), json(request));
  }
}

if (import.meta.main) main(process.argv.slice(2));
