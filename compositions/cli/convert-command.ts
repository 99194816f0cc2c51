// `pledge convert FILES... [-o DIR]`: Crossplane YAML in, Pledge YAML out, and a report of what could not be converted.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { CliError } from '../../core/cli/output/index.ts';
import { functionPackages } from '../crossplane-input.ts';
import { convertObjects } from '../convert/convert.ts';
import { expandPaths, objectName, parseYamlObjects, type JsonObject } from './yaml-files.ts';

/** Exit code when some object or field was left out (the report on stderr lists each). */
export const EXIT_UNCONVERTED = 3;

export interface ConvertOutcome {
  /** Converted documents by input file. */
  files: Array<{ file: string; documents: JsonObject[] }>;
  /** One line per left-out object or field: `file:line: Kind name: path: reason`. */
  unconverted: string[];
  /** Objects dropped on purpose (Functions, Providers), one line each. */
  notes: string[];
}

export function convertFiles(paths: readonly string[]): ConvertOutcome {
  const files = expandPaths(paths);
  const sources = files.map((file) => ({ file, objects: parseYamlObjects(readFileSync(file, 'utf8'), file) }));
  const functions = functionPackages(sources.flatMap((s) => s.objects.map((o) => o.object)));
  const outcome: ConvertOutcome = { files: [], unconverted: [], notes: [] };
  const all = sources.flatMap((s) => s.objects);
  const results = convertObjects(all.map((s) => s.object), functions.size > 0 ? functions : undefined);
  for (const { file, objects } of sources) {
    const documents: JsonObject[] = [];
    for (const source of objects) {
      const converted = results[all.indexOf(source)] ?? { unconverted: [] };
      const where = `${file}:${source.line}: ${objectName(source.object)}`;
      if (converted.note) outcome.notes.push(`${where}: ${converted.note}`);
      for (const u of converted.unconverted) {
        const path = u.path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        outcome.unconverted.push(`${file}:${source.lineOf(path)}: ${objectName(source.object)}: ${u.path}: ${u.reason}`);
      }
      if (converted.object) documents.push(converted.object);
      else if (!converted.note && converted.unconverted.length > 0) outcome.unconverted.push(`${where}: left out as a whole`);
    }
    outcome.files.push({ file, documents });
  }
  return outcome;
}

const asYaml = (documents: readonly JsonObject[]): string => documents.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join('');

export function addConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('convert Crossplane YAML (XRDs, Compositions, ProviderConfigs, managed resources) into Pledge YAML')
    .argument('<files...>', 'YAML files or folders of Crossplane objects')
    .option('-o, --output-dir <dir>', 'write one file per input file there (same name) instead of printing a document stream')
    .addHelpText(
      'after',
      `
Converted: CompositeResourceDefinitions (apiextensions.crossplane.io v1 and v2; v2's default scope
Namespaced is written out), Compositions in Pipeline mode of one function-patch-and-transform step
optionally followed by function-auto-ready (spec.autoReady: true) or classic mode Resources,
ProviderConfigs of the Upbound AWS, Azure and GCP providers, and managed resources and composed
templates of the provider kinds Pledge has (Upbound S3 Bucket, RDS Instance, Azure ResourceGroup and
storage Account, GCP storage Bucket), field by field. Functions and Providers are dropped with a note.
XRs, claims and plain Kubernetes objects pass unchanged.

Whatever has no Pledge counterpart (another function such as function-go-templating, a provider kind
Pledge lacks, a field) is left out and listed on stderr as file:line: object: field: reason.

Exit codes: 0 everything converted, 3 something was left out (see stderr; the rest is still written),
1 bad input.

Examples:
  pledge convert composition.yaml xrd.yaml
  pledge convert crossplane/ -o pledge/`,
    )
    .action((paths: string[], opts: { outputDir?: string }) => {
      const outcome = convertFiles(paths);
      if (opts.outputDir !== undefined) {
        mkdirSync(opts.outputDir, { recursive: true });
        const names = new Set<string>();
        for (const { file, documents } of outcome.files) {
          const name = basename(file);
          if (names.has(name)) throw new CliError(`${file}: two input files are named ${name}; convert them into different folders`);
          names.add(name);
          if (documents.length > 0) writeFileSync(join(opts.outputDir, name), asYaml(documents));
        }
      } else {
        process.stdout.write(asYaml(outcome.files.flatMap((f) => f.documents)));
      }
      for (const note of outcome.notes) process.stderr.write(`note: ${note}\n`);
      for (const line of outcome.unconverted) process.stderr.write(`not converted: ${line}\n`);
      if (outcome.unconverted.length > 0) process.exitCode = EXIT_UNCONVERTED;
    });
}
