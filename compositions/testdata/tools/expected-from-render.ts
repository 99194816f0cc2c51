// Brings `crossplane render` output for one case to the normal form (see ../README.md).
//
//   node expected-from-render.ts <case dir> <render stdout file> [out dir]
//
// writes <out dir>/expected.yaml, and <out dir>/results.yaml when the function returned results
// (<out dir> defaults to <case dir>; regenerate.sh --check writes elsewhere and compares).
//
//   node expected-from-render.ts --fatal <case dir> <render stderr file> [out dir]
//
// for a case where the function returned a fatal result (render exits non-zero): expected.yaml is
// `fatal: true`, results.yaml holds the message.
//
//   node expected-from-render.ts --connection-details <probe output> <case dir> <render stdout> [out dir]
//
// for a case with observed-connection-details.yaml: connectionDetails come from
// connection-details-probe (the same function, given the observed connection details).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { type JsonObject, isObject, objectAt, readCase, readYamlStream, templateNameOf } from './case-files.ts';
import { deepMerge, type NormalForm, type RendererOutput, serialiseFatal, serialiseNormalForm, serialiseOptions, toNormalForm } from './normal-form.ts';

/** P&T composes the XR's connection details into a Secret with this template name (XRs with spec.crossplane). */
export function connectionSecretName(compositeName: string): string {
  return `${compositeName}-connection-secret`;
}

export interface Readiness {
  compositeReady: boolean;
  /** Template names render reported unready; undefined when render did not list them. */
  unready?: Set<string>;
}

/**
 * Reads the XR's Ready condition that render synthesises: Available when every desired resource is
 * ready; Creating with "Unready resources: a, b, and c" otherwise; Creating without a message when
 * the function itself marked the XR unready (a Required patch held a resource back).
 */
export function readinessFromComposite(xr: JsonObject): Readiness {
  const conditions = objectAt(xr, 'status')?.conditions;
  const ready = Array.isArray(conditions) ? conditions.find((c: unknown) => isObject(c) && c.type === 'Ready') : undefined;
  if (!isObject(ready)) throw new Error('render output: the XR has no Ready condition');
  if (ready.status === 'True') return { compositeReady: true, unready: new Set() };
  const message = typeof ready.message === 'string' ? ready.message : '';
  const prefix = 'Unready resources: ';
  if (!message.startsWith(prefix)) return { compositeReady: false };
  const list = message.slice(prefix.length);
  if (/, and \d+ more$/.test(list)) throw new Error(`render listed only some unready resources (${list}): keep a case to three or fewer`);
  const names = list.split(', ').map((n) => n.replace(/^and /, ''));
  return { compositeReady: false, unready: new Set(names) };
}

function decodeSecretData(secret: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(objectAt(secret, 'data') ?? {})) {
    if (typeof value !== 'string') throw new Error(`connection secret key ${key} is not a string`);
    out[key] = Buffer.from(value, 'base64').toString('utf8');
  }
  return out;
}

/**
 * The part of render's desired XR that Crossplane applies: only `status` (it patches the XR through
 * the status subresource, so desired spec and metadata are dropped), without the Ready condition
 * render synthesises.
 */
export function appliedDesiredXR(xr: JsonObject): JsonObject {
  const status = structuredClone(objectAt(xr, 'status') ?? {});
  delete status.conditions;
  return Object.keys(status).length === 0 ? {} : { status };
}

export interface RenderDocuments {
  composite: JsonObject;
  composed: JsonObject[];
  results: JsonObject[];
}

export function splitRenderOutput(text: string): RenderDocuments {
  const docs = readYamlStream(text, 'render output');
  const [composite, ...rest] = docs;
  if (composite === undefined) throw new Error('render output is empty');
  const results = rest.filter((d) => d.apiVersion === 'render.crossplane.io/v1beta1' && d.kind === 'Result');
  const composed = rest.filter((d) => !results.includes(d));
  return { composite, composed, results };
}

export function normalFormFromRender(input: { composite: JsonObject; observed: JsonObject[] }, render: RenderDocuments): NormalForm {
  const compositeName = String(objectAt(input.composite, 'metadata')?.name ?? '');
  const readiness = readinessFromComposite(render.composite);
  const output: RendererOutput = {
    composite: deepMerge(input.composite, appliedDesiredXR(render.composite)),
    resources: [],
    connectionDetails: {},
  };
  for (const cd of render.composed) {
    const name = templateNameOf(cd);
    if (name === undefined) throw new Error('render output: a composed resource has no composition-resource-name');
    if (name === connectionSecretName(compositeName) && cd.apiVersion === 'v1' && cd.kind === 'Secret') {
      output.connectionDetails = decodeSecretData(cd);
      continue;
    }
    output.resources.push({ name, resource: cd, ready: readiness.unready !== undefined && !readiness.unready.has(name) });
  }
  return toNormalForm(input, output, readiness.compositeReady, readiness.unready !== undefined);
}

/** render's error when the function returned a fatal result; undefined for any other failure. */
export function fatalMessage(stderr: string): string | undefined {
  const match = /returned a fatal result: (.*)$/m.exec(stderr);
  return match?.[1]?.trim();
}

function writeResults(outDir: string, results: Array<{ severity: unknown; message: unknown }>): void {
  const resultsPath = join(outDir, 'results.yaml');
  if (results.length === 0) rmSync(resultsPath, { force: true });
  else writeFileSync(resultsPath, stringify(results, serialiseOptions));
}

/** The probe's answer: the XR connection details function-patch-and-transform returned. */
export function probeConnectionDetails(text: string): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  const details = isObject(parsed) ? objectAt(parsed, 'connectionDetails') : undefined;
  if (details === undefined) throw new Error('probe output has no connectionDetails');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(details)) {
    if (typeof v !== 'string') throw new Error(`probe connection detail ${k} is not a string`);
    out[k] = v;
  }
  return out;
}

function main(argv: string[]): void {
  const args = [...argv];
  const fatal = args[0] === '--fatal';
  if (fatal) args.shift();
  let probeFile: string | undefined;
  if (args[0] === '--connection-details') {
    probeFile = args[1];
    args.splice(0, 2);
  }
  const [caseDir, renderFile, outDir = caseDir] = args;
  if (caseDir === undefined || renderFile === undefined || outDir === undefined) {
    throw new Error('usage: expected-from-render.ts [--fatal] [--connection-details <probe output>] <case dir> <render stdout, or stderr with --fatal> [out dir]');
  }
  const files = readCase(caseDir, basename(caseDir));
  if (fatal) {
    const message = fatalMessage(readFileSync(renderFile, 'utf8'));
    if (message === undefined) throw new Error(`${files.name}: render failed without a fatal result from the function`);
    writeFileSync(join(outDir, 'expected.yaml'), serialiseFatal());
    writeResults(outDir, [{ severity: 'SEVERITY_FATAL', message }]);
    return;
  }
  const render = splitRenderOutput(readFileSync(renderFile, 'utf8'));
  const form = normalFormFromRender(files, render);
  if (probeFile !== undefined) form.connectionDetails = probeConnectionDetails(readFileSync(probeFile, 'utf8'));
  writeFileSync(join(outDir, 'expected.yaml'), serialiseNormalForm(form));
  writeResults(outDir, render.results.map((r) => ({ severity: r.severity, message: r.message })));
}

if (import.meta.main) main(process.argv.slice(2));
