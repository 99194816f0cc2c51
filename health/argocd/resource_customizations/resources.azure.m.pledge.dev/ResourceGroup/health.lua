-- Argo CD health of a Pledge object that reports Ready/Synced/Reconciling/Stalled: managed resources,
-- composite resources and claims. One source (health/lua/pledge-status.lua), copied for every kind;
-- the condition types and reasons it reads are in health/README.md.
local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function said(c)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  if c ~= nil then
    return c.reason
  end
  return nil
end

local function with(prefix, text)
  if text == nil or text == "" then
    return prefix
  end
  return prefix .. ": " .. text
end

local ready = condition("Ready")
local synced = condition("Synced")
local reconciling = condition("Reconciling")
local stalled = condition("Stalled")
local meta = obj.metadata or {}

if meta.deletionTimestamp ~= nil then
  if stalled ~= nil and stalled.status == "True" then
    return { status = "Degraded", message = with("deleting, blocked", said(stalled)) }
  end
  if ready ~= nil and ready.reason == "Deleting" and ready.message ~= nil then
    return { status = "Progressing", message = with("deleting", ready.message) }
  end
  local others = {}
  for _, f in ipairs(meta.finalizers or {}) do
    if f ~= "finalizer.managed.pledge.dev" and f ~= "composite.pledge.dev" and f ~= "claim.pledge.dev" then
      table.insert(others, f)
    end
  end
  if #others > 0 and #others == #(meta.finalizers or {}) then
    return { status = "Progressing", message = "deleting: waiting for finalizer " .. table.concat(others, ", ") }
  end
  return { status = "Progressing", message = "deleting" }
end

if meta.annotations ~= nil and meta.annotations["pledge.dev/paused"] == "true" then
  return { status = "Suspended", message = "paused by the pledge.dev/paused annotation" }
end

if ready == nil and synced == nil then
  return { status = "Progressing", message = "waiting for Pledge to reconcile it" }
end

local observed = obj.status.observedGeneration
if observed ~= nil and meta.generation ~= nil and observed < meta.generation then
  return { status = "Progressing", message = "generation " .. meta.generation .. " not observed yet (status is of generation " .. observed .. ")" }
end

if stalled ~= nil and stalled.status == "True" then
  return { status = "Degraded", message = said(stalled) }
end

if reconciling ~= nil and reconciling.status == "True" then
  local why = {
    Throttled = "throttled by the cloud, retrying",
    ReferencesNotReady = "waiting for a reference",
    ConfigNotReady = "waiting for its ProviderConfig",
    ReconcileError = "retrying after an error",
    Creating = "creating",
    Deleting = "deleting",
  }
  return { status = "Progressing", message = with(why[reconciling.reason] or reconciling.reason, reconciling.message) }
end

if synced ~= nil and synced.status == "False" then
  -- A Pledge without Reconciling/Stalled, or a reason this script does not know: the error is shown.
  if synced.reason == "Throttled" or synced.reason == "ReferencesNotReady" or synced.reason == "ConfigNotReady" or synced.reason == "ReconcilePaused" then
    return { status = "Progressing", message = said(synced) }
  end
  return { status = "Degraded", message = said(synced) }
end

if ready ~= nil and ready.status == "True" then
  return { status = "Healthy", message = "Ready" }
end

if ready ~= nil and ready.reason == "Unavailable" then
  return { status = "Degraded", message = said(ready) }
end

return { status = "Progressing", message = with("not Ready", said(ready)) }
