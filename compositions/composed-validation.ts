// The check the composite reconciler runs before it applies anything: each rendered composed resource
// against its kind's schema, so that a Composition rendering an invalid resource fails on the
// composite's (and claim's) Synced naming the template and field, rather than with an API server
// refusal halfway through applying. Schemas are indexed on first use, each kind compiled on its
// first render (SchemaValidator), and ajv is loaded then too: `pledge run` pays nothing without composites.
import { managedCrd } from '../core/crd/index.ts';
import type { Provider } from '../core/managed/types.ts';
import { indexCrds, SchemaValidator } from '../core/validate/index.ts';
import type { KubeResource } from './render/types.ts';

let providersInUse: readonly Provider[] = [];
let validator: SchemaValidator | undefined;

/** The managed kinds the reconciler may compose (set once by the compositions module's setup). */
export function useComposedKinds(providers: readonly Provider[]): void {
  providersInUse = providers;
  validator = undefined;
}

function schemas(): SchemaValidator {
  validator ??= new SchemaValidator(indexCrds(providersInUse.flatMap((p) => p.kinds.map((k) => managedCrd(k, p.name)))));
  return validator;
}

/** Every schema problem of the objects about to be applied, as one message; undefined when they are valid. */
export async function composedProblems(objects: ReadonlyArray<{ template: string; object: KubeResource }>): Promise<string | undefined> {
  const messages: string[] = [];
  for (const { template, object } of objects) {
    const problems = await schemas().validate(object);
    for (const p of problems ?? []) messages.push(`resource "${template}" (${object.kind} ${object.metadata?.name ?? ''}): ${p.field}: ${p.message}`);
  }
  return messages.length > 0 ? `composed resources invalid, nothing applied: ${messages.join('; ')}` : undefined;
}

/** For the footprint measurement: how many kinds have been compiled so far. */
export function compiledKinds(): number {
  return validator?.compiledCount ?? 0;
}
