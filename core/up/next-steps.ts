/** What `pledge up` prints once ready: how to reach the cluster, a first claim, the web view. */
export function nextSteps(options: { kubeconfigPath: string; uiUrl?: string; sim: boolean; merged: boolean; dataDir: string }): string {
  const env = options.merged ? '  kubectl config use-context pledge    # already merged into your kubeconfig' : `  export KUBECONFIG=${options.kubeconfigPath}`;
  const claim = options.sim
    ? [
        '  kubectl apply -f compositions/examples/object-storage/      # a platform API: ObjectStorage on AWS, Azure or GCP',
        '  kubectl apply -f examples/claims/object-storage-aws.yaml     # a claim (cloudsim stands in for AWS)',
        '  kubectl wait --for=condition=Ready objectstorage/photos-aws --timeout=120s',
        '  node bin/pledge.ts trace objectstorage/photos-aws',
      ]
    : ['  kubectl apply -f examples/s3-bucket.yaml', '  kubectl get managed'];
  return [
    '',
    'Pledge is up. In another terminal:',
    '',
    env,
    ...claim,
    '',
    ...(options.uiUrl ? [`Web view: ${options.uiUrl}`, ''] : []),
    `Data (kept across restarts): ${options.dataDir}. Ctrl-C stops everything; \`pledge up\` again resumes.`,
    '',
  ].join('\n');
}
