// `pledge render XR COMPOSITION [FUNCTIONS]`: offline, what the composite controller would apply.
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { CliError, outputFormat } from '../../core/cli/output/index.ts';
import { CONNECTION_SECRET_TYPE } from '../../core/managed/connection-secret.ts';
import { compositeReadiness } from '../composite-reconciler.ts';
import { desiredObject } from '../composed-object.ts';
import { compositionSpecOf, functionPackages, RESOURCE_NAME_ANNOTATIONS } from '../crossplane-input.ts';
import { render } from '../render/index.ts';
import type { CompositionSpec, KubeResource, ObservedComposed, RenderResult } from '../render/types.ts';
import type { Composite } from '../types.ts';
import { isObject, type JsonObject, objectName, readOneObject, readYamlObjects, type SourceObject } from './yaml-files.ts';

export interface RenderOptions {
  observedResources?: string;
  includeFullXr?: boolean;
  includeConnectionSecret?: boolean;
  crds?: string;
  validate?: boolean;
  output: 'yaml' | 'json';
}

export interface RenderedFiles {
  result: RenderResult;
  documents: JsonObject[];
}

export function templateNameOf(o: JsonObject): string | undefined {
  const annotations = isObject(o.metadata) && isObject(o.metadata.annotations) ? o.metadata.annotations : {};
  for (const key of RESOURCE_NAME_ANNOTATIONS) if (typeof annotations[key] === 'string') return annotations[key];
  return undefined;
}

const nameOf = (o: JsonObject): string | undefined => (isObject(o.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : undefined);
const namespaceOf = (o: JsonObject): string | undefined => (isObject(o.metadata) && typeof o.metadata.namespace === 'string' ? o.metadata.namespace : undefined);

function decoded(secret: JsonObject): Record<string, string> {
  const data = isObject(secret.data) ? secret.data : {};
  const plain = isObject(secret.stringData) ? secret.stringData : {};
  return {
    ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('utf8')])),
    ...Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, String(v)])),
  };
}

/**
 * Observed composed resources by template name, each with its connection details: those of a v1
 * Secret among the observed files that is annotated with the same template name, or that the
 * resource's spec.writeConnectionSecretToRef names (where the controller would read them).
 */
export function observedFrom(objects: readonly SourceObject[]): Record<string, ObservedComposed> {
  const isSecret = (o: JsonObject) => o.apiVersion === 'v1' && o.kind === 'Secret';
  const secrets = objects.filter((s) => isSecret(s.object));
  const out: Record<string, ObservedComposed> = {};
  for (const s of objects) {
    if (isSecret(s.object)) continue;
    const template = templateNameOf(s.object);
    if (template === undefined) {
      throw new CliError(`${s.file}:${s.line}: ${objectName(s.object)}: an observed resource needs the annotation ${RESOURCE_NAME_ANNOTATIONS.join(' or ')} (its template name)`);
    }
    const spec = isObject(s.object.spec) ? s.object.spec : {};
    const ref = isObject(spec.writeConnectionSecretToRef) ? spec.writeConnectionSecretToRef : undefined;
    const secret = secrets.find(
      (x) => templateNameOf(x.object) === template || (ref !== undefined && nameOf(x.object) === ref.name && namespaceOf(x.object) === ref.namespace),
    );
    out[template] = { resource: s.object as KubeResource, connectionDetails: secret ? decoded(secret.object) : {} };
  }
  return out;
}

/** The composition spec from its file, refusing what Pledge cannot render with file, line and field. */
export function compositionFromFile(source: SourceObject, functions?: Map<string, string>): CompositionSpec {
  const input = compositionSpecOf(source.object, functions);
  if ('error' in input) {
    throw new CliError(`${source.file}:${source.lineOf(input.path)}: ${objectName(source.object)}: ${input.path.join('.').replace(/\.(\d+)/g, '[$1]')}: ${input.error}`);
  }
  return input.spec;
}

/** The documents `pledge render` prints: the XR (status, Ready condition), then each composed resource as applied. */
export function renderFiles(xrPath: string, compositionPath: string, functionsPath: string | undefined, opts: RenderOptions): RenderedFiles {
  const xrSource = readOneObject(xrPath, 'composite resource (XR)');
  const compositionSource = readOneObject(compositionPath, 'Composition');
  const functions = functionsPath === undefined ? undefined : functionPackages(readYamlObjects([functionsPath]).map((s) => s.object));
  const spec = compositionFromFile(compositionSource, functions);
  const xr = xrSource.object as KubeResource & Composite;
  const ref = spec.compositeTypeRef;
  if (!ref || ref.apiVersion !== xr.apiVersion || ref.kind !== xr.kind) {
    throw new CliError(
      `${compositionPath}:${compositionSource.lineOf(['spec', 'compositeTypeRef'])}: ${objectName(compositionSource.object)}: spec.compositeTypeRef is ${ref?.apiVersion}/${ref?.kind}, but ${xrPath} is a ${xr.apiVersion}/${xr.kind}`,
    );
  }
  const observed = opts.observedResources === undefined ? {} : observedFrom(readYamlObjects([opts.observedResources]));
  const result = render({ composite: xr, composition: spec, observed });
  if (result.errors.length > 0) {
    throw new CliError(`${compositionPath}: ${objectName(compositionSource.object)}: ${result.errors.map((e) => `resource "${e.resource}": ${e.message}`).join('; ')}`);
  }
  const composite = structuredClone(result.composite) as KubeResource & Composite;
  const status = { ...(isObject(composite.status) ? composite.status : {}), conditions: [compositeReadiness(result).ready] };
  const xrDoc: JsonObject = opts.includeFullXr ? { ...composite, status } : { apiVersion: xr.apiVersion, kind: xr.kind, metadata: { name: xr.metadata?.name }, status };
  const composed = result.resources.map((r) => {
    const { apiVersion, kind, metadata, ...rest } = desiredObject(composite, { spec: spec as never }, r);
    return { apiVersion, kind, metadata, ...rest };
  });
  const documents: JsonObject[] = [xrDoc, ...composed];
  if (opts.includeConnectionSecret && Object.keys(result.connectionDetails).length > 0) {
    const target = xr.spec?.writeConnectionSecretToRef;
    documents.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: target?.name ?? xr.metadata.name,
        ...(target?.namespace ? { namespace: target.namespace } : {}),
        labels: { 'pledge.dev/managed-by': 'pledge' },
        ownerReferences: [{ apiVersion: xr.apiVersion, kind: xr.kind, name: xr.metadata.name, uid: xr.metadata.uid ?? '', controller: true }],
      },
      type: CONNECTION_SECRET_TYPE,
      data: Object.fromEntries(Object.entries(result.connectionDetails).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
    });
  }
  return { result, documents };
}

export function addRenderCommand(program: Command, validateRendered: (docs: JsonObject[], crdsDir: string | undefined, where: string) => Promise<string[]>): void {
  program
    .command('render')
    .description('render a composite resource through a Composition offline: what the controller would apply, as YAML')
    .argument('<xr>', 'the composite resource (XR) file')
    .argument('<composition>', 'a pledge.dev/v1 Composition, or a Crossplane one (Pipeline mode, function-patch-and-transform)')
    .argument('[functions]', "Crossplane render's functions file: each step's Function must be function-patch-and-transform")
    .option('--observed-resources <file|dir>', 'composed resources as they exist (annotated with their template name) and their connection Secrets')
    .option('--include-full-xr', 'print the whole XR (spec and metadata too), not only its status', false)
    .option('--include-connection-secret', "print the XR's connection Secret (values base64, as the controller writes it at spec.writeConnectionSecretToRef; named after the XR when there is no ref, where the controller writes none)", false)
    .option('--validate', "refuse composed resources their kind's schema rejects, as the controller does before applying", false)
    .option('--crds <dir>', 'more CRDs and XRDs to validate against (implies --validate)')
    .option('-o, --output <format>', 'yaml (a document stream) or json (an array)', outputFormat(['yaml', 'json']), 'yaml')
    .addHelpText(
      'after',
      `
Exit codes: 0 rendered, 1 bad input or a composition that does not render (the message names file, object and field).
Warnings (a Required patch source missing, a readiness check that cannot run) go to stderr.

Examples:
  pledge render xr.yaml composition.yaml --observed-resources observed/
  crossplane render's own files work unchanged:
  pledge render xr.yaml composition.yaml functions.yaml --include-full-xr
  pledge render xr.yaml composition.yaml --validate --crds platform/`,
    )
    .action(async (xr: string, composition: string, functions: string | undefined, opts: RenderOptions) => {
      const { result, documents } = renderFiles(xr, composition, functions, opts);
      for (const w of result.warnings ?? []) process.stderr.write(`warning: resource "${w.resource}": ${w.message}\n`);
      // What the controller checks before it applies anything: each composed resource against its kind's schema.
      if (opts.validate || opts.crds !== undefined) {
        const problems = await validateRendered(documents.slice(1), opts.crds, composition);
        if (problems.length > 0) throw new CliError(problems.join('\n'));
      }
      if (opts.output === 'json') process.stdout.write(`${JSON.stringify(documents, null, 2)}\n`);
      else process.stdout.write(documents.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join(''));
    });
}
