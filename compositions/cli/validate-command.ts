// `pledge validate FILES... [--crds DIR]`: offline checks of manifests against the schemas Pledge knows.
import type { Command } from 'commander';
import { CliError, colourEnabled, formatData, formatTable, outputFormat, painter, startProgress } from '../../core/cli/output/index.ts';
import type { Provider } from '../../core/managed/types.ts';
import { fieldPathText, type SchemaValidator } from '../../core/validate/index.ts';
import { CROSSPLANE_GROUP } from '../crossplane-input.ts';
import { compositionProblems } from '../validate/composition-checks.ts';
import { isCrd, schemaValidator } from './schemas.ts';
import { objectName, readYamlObjects, type SourceObject } from './yaml-files.ts';

export interface Problem {
  file: string;
  line: number;
  object: string;
  field: string;
  message: string;
}

/** Every problem of every object: its kind's schema, and for a Composition its templates and field paths. */
export async function validateObjects(objects: readonly SourceObject[], schemas: SchemaValidator): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const s of objects) {
    const at = (path: Array<string | number>, message: string) => out.push({ file: s.file, line: s.lineOf(path), object: objectName(s.object), field: fieldPathText(path), message });
    const { apiVersion, kind } = s.object;
    if (typeof apiVersion !== 'string' || apiVersion === '') {
      at(['apiVersion'], 'apiVersion is missing');
      continue;
    }
    if (typeof kind !== 'string' || kind === '') {
      at(['kind'], 'kind is missing');
      continue;
    }
    const isCrossplaneComposition = kind === 'Composition' && apiVersion.startsWith(`${CROSSPLANE_GROUP}/`);
    const problems = isCrd(s.object) || isCrossplaneComposition ? [] : await schemas.validate(s.object);
    if (problems === undefined) {
      at(['kind'], `unknown kind ${kind} (apiVersion ${apiVersion}): no CRD for it among Pledge's kinds, the XRDs in the files, or --crds`);
      continue;
    }
    for (const p of problems) at(p.path, p.message);
    if (kind === 'Composition') for (const p of await compositionProblems(s.object, schemas)) at(p.path, p.message);
  }
  return out;
}

export function addValidateCommand(program: Command, context: { providers: readonly Provider[] }): void {
  program
    .command('validate')
    .description('check manifests offline against the schemas of the CRDs Pledge serves, XRDs and CRDs given; Compositions further')
    .argument('<files...>', 'YAML files or directories (every .yaml, .yml and .json file under them)')
    .option('--crds <dir>', 'more CRDs and XRDs to know (files or a directory)')
    .option('-o, --output <format>', 'table, yaml or json (the list of problems)', outputFormat(), 'table')
    .addHelpText(
      'after',
      `
Managed resources, XRs and claims are checked against their kind's schema (types, enums, patterns,
required fields, fields the schema does not declare). Compositions also: patches, transforms,
readiness checks and connection details well-formed; each base template against its kind; every
fromFieldPath/toFieldPath present in the schema of the side it reads or writes.

Exit codes: 0 every object valid, 1 any problem (each names file, line, object and field).

Examples:
  pledge validate examples/ --crds platform/xrds/
  pledge validate claim.yaml composition.yaml xrd.yaml -o json`,
    )
    .action(async (files: string[], opts: { crds?: string; output: 'table' | 'yaml' | 'json' }) => {
      const objects = readYamlObjects(files);
      const schemas = schemaValidator(context.providers, opts.crds, objects);
      const progress = startProgress();
      const problems: Problem[] = [];
      for (const [i, o] of objects.entries()) {
        progress.update(`validating ${i + 1}/${objects.length}: ${o.file}`);
        problems.push(...(await validateObjects([o], schemas)));
      }
      progress.done();
      if (opts.output !== 'table') process.stdout.write(formatData(opts.output, problems));
      else if (problems.length > 0) {
        const paint = painter(colourEnabled());
        process.stdout.write(formatTable(['FILE:LINE', 'OBJECT', 'FIELD', 'PROBLEM'], problems.map((p) => [`${p.file}:${p.line}`, p.object, p.field, paint('red', p.message)])));
      }
      const summary = `${objects.length} object(s) in ${new Set(objects.map((o) => o.file)).size} file(s)`;
      if (problems.length > 0) throw new CliError(`${problems.length} problem(s) in ${summary}`);
      process.stderr.write(`${summary}: valid\n`);
    });
}
