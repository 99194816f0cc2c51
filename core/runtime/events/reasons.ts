/** Every event reason Pledge records, for managed resources, composites, claims and definitions. Fixed strings. */
export const EVENT_REASONS = {
  createdExternal: 'CreatedExternalResource',
  updatedExternal: 'UpdatedExternalResource',
  deletedExternal: 'DeletedExternalResource',
  cannotConnect: 'CannotConnectToProvider',
  cannotObserve: 'CannotObserveExternalResource',
  cannotCreate: 'CannotCreateExternalResource',
  cannotUpdate: 'CannotUpdateExternalResource',
  cannotDelete: 'CannotDeleteExternalResource',
  createOutcomeUnknown: 'CannotDetermineCreateResult',
  orphaned: 'OrphanedExternalResource',
  cannotResolveReferences: 'CannotResolveReferences',
  cannotPublishConnection: 'CannotPublishConnectionDetails',
  cannotSelectComposition: 'CannotSelectComposition',
  cannotCompose: 'CannotComposeResources',
  cannotApplyComposed: 'CannotApplyComposedResource',
  composedResourceWarning: 'ComposedResourceWarning',
  compositeNotSynced: 'CompositeResourceNotSynced',
  cannotServeComposite: 'CannotServeCompositeResource',
  deletionBlocked: 'DeletionBlocked',
} as const;

export type EventReason = (typeof EVENT_REASONS)[keyof typeof EVENT_REASONS];
