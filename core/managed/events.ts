/** Event reasons the managed reconciler records. Fixed strings, never built at runtime. */
export const EVENT_REASONS = {
  createdExternal: 'CreatedExternalResource',
  updatedExternal: 'UpdatedExternalResource',
  deletedExternal: 'DeletedExternalResource',
  cannotConnect: 'CannotConnectToProvider',
  cannotObserve: 'CannotObserveExternalResource',
  cannotCreate: 'CannotCreateExternalResource',
  cannotUpdate: 'CannotUpdateExternalResource',
  cannotDelete: 'CannotDeleteExternalResource',
  cannotUpdateManaged: 'CannotUpdateManagedResource',
  createOutcomeUnknown: 'CannotDetermineCreateResult',
  orphaned: 'OrphanedExternalResource',
  cannotResolveReferences: 'CannotResolveReferences',
  cannotPublishConnection: 'CannotPublishConnectionDetails',
} as const;
