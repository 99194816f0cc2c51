// The compositions module's own verbs: `pledge render`, `pledge validate` and `pledge convert`.
import type { Command } from 'commander';
import type { Provider } from '../../core/managed/types.ts';
import { addConvertCommand } from './convert-command.ts';
import { addRenderCommand, templateNameOf } from './render-command.ts';
import { schemaValidator } from './schemas.ts';
import { addValidateCommand, validateObjects } from './validate-command.ts';

export function addCompositionCommands(program: Command, context: { providers: readonly Provider[] }): void {
  addRenderCommand(program, async (docs, crdsDir, where) => {
    const sources = docs.map((object) => ({ file: where, line: 0, object, lineOf: () => 0 }));
    const schemas = schemaValidator(context.providers, crdsDir, []);
    const problems = [];
    for (const s of sources) {
      const template = templateNameOf(s.object);
      for (const p of await validateObjects([s], schemas)) problems.push(`composed resource "${template}" (${p.object}): ${p.field}: ${p.message}`);
    }
    return problems;
  });
  addValidateCommand(program, context);
  addConvertCommand(program);
}
