/**
 * A cloud's naming rules, kept once and used twice: as CEL rules on metadata.name (refused at admission)
 * and as a runtime check of the pledge.dev/external-name annotation, which CEL cannot see.
 */
import { TerminalError } from '../errors/index.ts';
export interface NameRule {
  /** CEL over `name`, the expression of the name being checked; absent when Kubernetes' own name rules imply it. */
  cel?(name: string): string;
  test(name: string): boolean;
  /** States the rule; `field` names what is being checked. */
  message(field: string): string;
}

/** A rule that the name matches (or, with `negate`, does not match) a pattern both RE2 (CEL) and JavaScript read alike. */
export function namePattern(source: string, message: (field: string) => string, negate = false): NameRule {
  if (/[\\']/.test(source)) throw new Error(`name pattern must not need escaping in CEL: ${source}`);
  const regex = new RegExp(source);
  return {
    cel: (name) => `${negate ? '!' : ''}${name}.matches('${source}')`,
    test: (name) => regex.test(name) !== negate,
    message,
  };
}

/** CEL rules for a kind's schema, on metadata.name. */
export function nameValidations(rules: readonly NameRule[]): Array<{ rule: string; message: string }> {
  return rules.flatMap((rule) => (rule.cel ? [{ rule: rule.cel('self.metadata.name'), message: rule.message('metadata.name') }] : []));
}

/** The first rule `name` breaks, as a message naming `field`, or undefined when it is valid. */
export function nameProblem(rules: readonly NameRule[], name: string, field: string): string | undefined {
  return rules.find((rule) => !rule.test(name))?.message(field);
}

const EXTERNAL_NAME = 'pledge.dev/external-name';

/**
 * The cloud name of a resource whose kind is named by its resource: the external-name annotation when set
 * (an adopted object), else metadata.name — refused as a TerminalError, naming the field, when it breaks a rule.
 */
export function checkedExternalName(rules: readonly NameRule[], mr: { metadata: { name: string; annotations?: Record<string, string> } }): string {
  const annotated = mr.metadata.annotations?.[EXTERNAL_NAME];
  const name = annotated || mr.metadata.name;
  const problem = nameProblem(rules, name, annotated ? `annotation ${EXTERNAL_NAME}` : 'metadata.name');
  if (problem) throw new TerminalError(`${problem} (got "${name}")`);
  return name;
}
