-- Argo CD health of a Pledge kind that carries no status: Composition, CompositionRevision, ProviderConfig.
-- Present is healthy (a ProviderConfig's problems show on the resources using it, as ConfigNotReady or the
-- cloud's own error). One source (health/lua/no-status.lua); see health/README.md.
if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  return { status = "Progressing", message = "deleting" }
end
return { status = "Healthy", message = obj.kind .. " (no status of its own)" }
