// The input format is Crossplane's function-patch-and-transform (resources, patchSets, patches,
// transforms, readinessChecks, connectionDetails); environment patches are out of scope.

export type JsonObject = { [key: string]: unknown };

export interface KubeResource extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata?: JsonObject & { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface Transform extends JsonObject {
  type: 'map' | 'match' | 'math' | 'string' | 'convert';
}

export interface Patch extends JsonObject {
  /** Default FromCompositeFieldPath. The *Environment types read or write an always-empty environment. */
  type?:
    | 'FromCompositeFieldPath'
    | 'ToCompositeFieldPath'
    | 'CombineFromComposite'
    | 'CombineToComposite'
    | 'PatchSet'
    | 'FromEnvironmentFieldPath'
    | 'ToEnvironmentFieldPath'
    | 'CombineFromEnvironment'
    | 'CombineToEnvironment';
  fromFieldPath?: string;
  toFieldPath?: string;
  patchSetName?: string;
  combine?: { variables: Array<{ fromFieldPath: string }>; strategy: 'string'; string?: { fmt: string } };
  transforms?: Transform[];
  policy?: { fromFieldPath?: 'Optional' | 'Required'; toFieldPath?: 'Replace' | 'MergeObjects' | 'MergeObject' | 'AppendArray' | 'ForceMergeObjects' | 'MergeObjectsAppendArrays' | 'ForceMergeObjectsAppendArrays' };
}

export interface ReadinessCheck extends JsonObject {
  type: 'MatchString' | 'MatchInteger' | 'MatchTrue' | 'MatchFalse' | 'MatchCondition' | 'NonEmpty' | 'None';
  fieldPath?: string;
  matchString?: string;
  matchInteger?: number;
  matchCondition?: { type: string; status: string };
}

export interface ConnectionDetail extends JsonObject {
  /** Defaults to fromConnectionSecretKey when that is set (classic Crossplane). */
  name: string;
  /** Inferred when omitted: value → FromValue, fromConnectionSecretKey → FromConnectionSecretKey, fromFieldPath → FromFieldPath. */
  type?: 'FromConnectionSecretKey' | 'FromFieldPath' | 'FromValue';
  fromConnectionSecretKey?: string;
  fromFieldPath?: string;
  value?: string;
}

export interface ComposedTemplate extends JsonObject {
  name: string;
  base: KubeResource;
  patches?: Patch[];
  readinessChecks?: ReadinessCheck[];
  connectionDetails?: ConnectionDetail[];
}

export interface CompositionSpec extends JsonObject {
  compositeTypeRef: { apiVersion: string; kind: string };
  resources: ComposedTemplate[];
  patchSets?: Array<{ name: string; patches: Patch[] }>;
  writeConnectionSecretsToNamespace?: string;
  /**
   * Auto-readiness (a function-auto-ready step after P&T): a composed resource its readiness checks
   * do not find ready is ready by its kind's health rule or its Ready condition (render/auto-ready.ts).
   */
  autoReady?: boolean;
}

/** What exists now for one template: the composed resource as read back, and its connection secret. */
export interface ObservedComposed {
  resource: KubeResource;
  connectionDetails: Record<string, string>;
}

export interface RenderInput {
  /** The composite resource (XR) as it is now, spec and status. */
  composite: KubeResource;
  composition: CompositionSpec;
  /** Keyed by template name (resources[].name). */
  observed: Record<string, ObservedComposed>;
}

export interface RenderedComposed {
  /** The template name (resources[].name). */
  name: string;
  /**
   * Desired state: base with FromComposite/CombineFromComposite patches applied. For a template
   * whose resource exists, metadata.name/namespace/generateName are the observed resource's (as in
   * Crossplane, a patch cannot rename it); otherwise whatever the base and patches set, if anything.
   */
  resource: KubeResource;
  /** Readiness of the observed resource per its readinessChecks; false when not observed yet. */
  ready: boolean;
}

/** A problem found while rendering, naming the template ('' for the composition as a whole). */
export interface RenderProblem {
  resource: string;
  /** P&T's own wording, e.g. `cannot render composed resource "bucket" "FromCompositeFieldPath" patch at index 2: …`. */
  message: string;
  /** True when P&T would have failed the whole render (nothing may be applied); false for P&T's warnings. */
  fatal: boolean;
}

export interface RenderResult {
  /**
   * The XR with the status of desiredComposite merged in: objects merged key by key, anything
   * else replaced. Only status, as in Crossplane, which server-side-applies the desired XR
   * through the status subresource: ToComposite patches into spec or metadata have no effect.
   */
  composite: KubeResource;
  /**
   * What P&T returns as the desired XR: apiVersion and kind plus only the fields that
   * ToComposite/CombineToComposite patches wrote (from observed composed resources), including
   * any into spec or metadata, which Crossplane (and so composite) ignores.
   */
  desiredComposite?: KubeResource;
  /** One per template that rendered, in template order; skipped and failed templates are absent. */
  resources: RenderedComposed[];
  /** Connection details aggregated from observed resources (a later template wins on a clash). */
  connectionDetails: Record<string, string>;
  /**
   * Fatal problems: invalid input, a patch or transform that failed. P&T would have failed the
   * render as a whole, so when this is non-empty apply nothing and delete nothing this round.
   * All of them are collected, one per template at most.
   */
  errors: RenderProblem[];
  /**
   * P&T's warnings: a Required source field that is missing (the template is skipped if its
   * resource does not exist yet, or the patch is ignored if it does), a readiness check that
   * could not run (the resource counts as not ready). The render is still good.
   */
  warnings?: RenderProblem[];
  /**
   * Templates left out because a Required source is missing and their resource does not exist yet.
   * P&T then marks the XR not ready: treat each as a not-ready resource (and do not prune it).
   */
  skipped?: string[];
}
