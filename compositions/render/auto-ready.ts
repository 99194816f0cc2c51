// Auto-readiness: function-auto-ready's rules for a composed resource that patch-and-transform did
// not mark ready. A kind with its own health rule (Deployment, Service, ConfigMap, …; matched by
// apiVersion and kind exactly) is ready when that rule passes; failing it, or for any other kind
// (managed resources, custom resources), when its Ready condition is True. A resource that does not
// exist yet is never ready. There are no pods in a test cluster, so the workload rules read only
// the status fields their controllers write.

import { isObject, type JsonObject, type JsonValue } from './json-value.ts';

type Health = (o: JsonObject) => boolean;

function at(o: JsonObject, ...path: string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = o;
  for (const key of path) {
    if (!isObject(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** An integer field as function-auto-ready reads it (any JSON number, truncated); undefined when absent or not a number. */
function int(o: JsonObject, ...path: string[]): number | undefined {
  const v = at(o, ...path);
  return typeof v === 'number' ? Math.trunc(v) : undefined;
}

const str = (o: JsonObject, ...path: string[]): string | undefined => {
  const v = at(o, ...path);
  return typeof v === 'string' ? v : undefined;
};

function conditions(o: JsonObject): JsonObject[] {
  const list = at(o, 'status', 'conditions');
  return Array.isArray(list) ? list.filter(isObject) : [];
}

const conditionTrue = (o: JsonObject, type: string): boolean => conditions(o).some((c) => c.type === type && c.status === 'True');

const nonEmptyList = (o: JsonObject, ...path: string[]): boolean => {
  const v = at(o, ...path);
  return Array.isArray(v) && v.length > 0;
};

const always: Health = () => true;

/** spec.replicas, 1 when unset, as the workload controllers default it. */
const desiredReplicas = (o: JsonObject): number => int(o, 'spec', 'replicas') ?? 1;

const deployment: Health = (o) => {
  const want = desiredReplicas(o);
  const updated = int(o, 'status', 'updatedReplicas');
  const available = int(o, 'status', 'availableReplicas');
  if (updated === undefined || available === undefined) return false;
  return updated === want && available === want && conditionTrue(o, 'Available');
};

const statefulSet: Health = (o) => {
  const want = desiredReplicas(o);
  const ready = int(o, 'status', 'readyReplicas');
  const current = int(o, 'status', 'currentReplicas');
  if (ready !== want || current !== want) return false;
  const currentRevision = str(o, 'status', 'currentRevision');
  return currentRevision !== undefined && currentRevision === str(o, 'status', 'updateRevision');
};

const daemonSet: Health = (o) => {
  const desired = int(o, 'status', 'desiredNumberScheduled');
  const counts = ['numberReady', 'updatedNumberScheduled', 'numberAvailable'].map((k) => int(o, 'status', k));
  return desired !== undefined && counts.every((n) => n === desired);
};

const replicaSet: Health = (o) => {
  if ((int(o, 'status', 'observedGeneration') ?? 0) < (int(o, 'metadata', 'generation') ?? 0)) return false;
  if (conditionTrue(o, 'ReplicaFailure')) return false;
  return (int(o, 'status', 'availableReplicas') ?? 0) >= desiredReplicas(o);
};

/** ClusterIP, NodePort and ExternalName services are ready at once; a LoadBalancer once it has an ingress. */
const service: Health = (o) => (str(o, 'spec', 'type') ?? 'ClusterIP') !== 'LoadBalancer' || nonEmptyList(o, 'status', 'loadBalancer', 'ingress');

const ingress: Health = (o) => nonEmptyList(o, 'status', 'loadBalancer', 'ingress');

/** The first of Failed, Suspended or Complete that is True decides. */
const job: Health = (o) => {
  for (const c of conditions(o)) {
    if (c.status !== 'True') continue;
    if (c.type === 'Failed' || c.type === 'Suspended') return false;
    if (c.type === 'Complete') return true;
  }
  return false;
};

const cronJob: Health = (o) => {
  if (at(o, 'spec', 'suspend') === true) return true;
  const scheduled = str(o, 'status', 'lastScheduleTime');
  if (scheduled === undefined) return false;
  if (nonEmptyList(o, 'status', 'active')) return true;
  const succeeded = str(o, 'status', 'lastSuccessfulTime');
  return succeeded !== undefined && Date.parse(succeeded) >= Date.parse(scheduled);
};

const persistentVolumeClaim: Health = (o) => str(o, 'status', 'phase') === 'Bound';

const pod: Health = (o) => {
  const phase = str(o, 'status', 'phase');
  if (phase === 'Succeeded') return true;
  if (phase !== 'Running') return false;
  return str(o, 'spec', 'restartPolicy') === 'Always' && conditionTrue(o, 'Ready');
};

/** A failing condition (FailedGetScale, …) that is True first means not ready; ScalingActive or ScalingLimited True means ready. */
const horizontalPodAutoscaler: Health = (o) => {
  for (const c of conditions(o)) {
    if (c.status !== 'True') continue;
    if (['FailedGetScale', 'FailedUpdateScale', 'FailedGetResourceMetric', 'InvalidSelector'].includes(String(c.type))) return false;
    if (c.type === 'ScalingActive' || c.type === 'ScalingLimited') return true;
  }
  return false;
};

/** Health rules by `apiVersion|kind`: only these exact versions, as function-auto-ready registers them. */
export const HEALTH_RULES: ReadonlyMap<string, Health> = new Map([
  ['v1|ConfigMap', always],
  ['v1|Secret', always],
  ['v1|ServiceAccount', always],
  ['v1|Namespace', always],
  ['v1|Service', service],
  ['v1|PersistentVolumeClaim', persistentVolumeClaim],
  ['v1|Pod', pod],
  ['apps/v1|Deployment', deployment],
  ['apps/v1|StatefulSet', statefulSet],
  ['apps/v1|DaemonSet', daemonSet],
  ['apps/v1|ReplicaSet', replicaSet],
  ['batch/v1|Job', job],
  ['batch/v1|CronJob', cronJob],
  ['networking.k8s.io/v1|Ingress', ingress],
  ['autoscaling/v2|HorizontalPodAutoscaler', horizontalPodAutoscaler],
]);

/** Whether an observed composed resource is ready by auto-readiness: its kind's health rule, else its Ready condition. */
export function isAutoReady(observed: JsonObject): boolean {
  const rule = HEALTH_RULES.get(`${String(observed.apiVersion)}|${String(observed.kind)}`);
  if (rule?.(observed)) return true;
  return conditionTrue(observed, 'Ready');
}
