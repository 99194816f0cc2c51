/** Exit codes of every verb (README "The pledge CLI"): 2 is only used by verbs that report changes. */
export const EXIT = {
  ok: 0,
  /** Bad input, an invalid object, an unreachable cluster or cloud: the message names what. */
  error: 1,
  /** `pledge plan`: the manifests would change something (as `terraform plan -detailed-exitcode`). */
  changes: 2,
} as const;

/** An error the user can act on: printed as its message alone (no stack), with the verb's exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.error) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
