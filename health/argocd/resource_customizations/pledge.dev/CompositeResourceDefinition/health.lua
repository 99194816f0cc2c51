-- Argo CD health of a Pledge CompositeResourceDefinition: Established (its CRDs served) and, with claimNames,
-- Offered. One source (health/lua/definition.lua); see health/README.md.
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

local established = condition("Established")
local offered = condition("Offered")
local meta = obj.metadata or {}

if meta.deletionTimestamp ~= nil then
  if established ~= nil and established.reason == "DeletionBlocked" then
    return { status = "Progressing", message = "deleting: " .. (established.message or "instances still exist") }
  end
  return { status = "Progressing", message = "deleting" }
end
if established == nil then
  return { status = "Progressing", message = "waiting for Pledge to serve it" }
end
local observed = obj.status.observedGeneration
if observed ~= nil and meta.generation ~= nil and observed < meta.generation then
  return { status = "Progressing", message = "generation " .. meta.generation .. " not observed yet (status is of generation " .. observed .. ")" }
end
if established.status ~= "True" then
  return { status = "Progressing", message = "not established: " .. (established.message or established.reason) }
end
if obj.spec ~= nil and obj.spec.claimNames ~= nil and (offered == nil or offered.status ~= "True") then
  return { status = "Progressing", message = "established; the claim kind is not offered yet" }
end
return { status = "Healthy", message = "Established" }
