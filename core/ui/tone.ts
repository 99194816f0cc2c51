/** Conditions whose True is a problem (Crossplane's and Kubernetes' own: a stalled reconcile, a degraded object). */
const TRUE_IS_BAD = new Set(['Stalled', 'Degraded', 'Failed', 'Error', 'ReconcileError']);
/** Conditions whose True means work under way, neither fine nor failed. */
const TRUE_IS_BUSY = new Set(['Reconciling', 'Deleting', 'Terminating']);

export type Tone = 'ok' | 'bad' | 'wait';

/** How a condition's status reads: green for good news, red for a problem, yellow for pending or unknown. */
export function conditionTone(type: string, status: string): Tone {
  if (status !== 'True' && status !== 'False') return 'wait';
  if (TRUE_IS_BAD.has(type)) return status === 'True' ? 'bad' : 'ok';
  if (TRUE_IS_BUSY.has(type)) return status === 'True' ? 'wait' : 'ok';
  return status === 'True' ? 'ok' : 'bad';
}
