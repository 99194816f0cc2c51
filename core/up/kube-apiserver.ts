import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Certificates } from './certificates.ts';
import { CONTROLLER_MANAGER_USER } from './controller-manager.ts';
import { startChild, type SupervisedChild } from './supervised-child.ts';

/** The user of the admin token (group system:masters). */
export const ADMIN_USER = 'pledge-admin';

export type KubeApiserverOptions = {
  binary: string;
  /** Holds tokens.csv, the audit policy, apiserver-certs/ and kube-apiserver.log. */
  dir: string;
  certs: Certificates;
  port: number;
  etcdUrl: string;
  tokens: { admin: string; controllerManager: string };
  /** When set, one JSON line per request at Metadata level is written here. */
  auditLogPath?: string;
  /** Its environment (default this process's). */
  env?: NodeJS.ProcessEnv;
};

/** kube-apiserver on 127.0.0.1:port with bearer tokens from a file and RBAC. */
export async function startKubeApiserver(options: KubeApiserverOptions): Promise<SupervisedChild> {
  const { dir, certs, port, auditLogPath } = options;
  const tokenFile = join(dir, 'tokens.csv');
  // token,user,uid,"group,..."
  const { admin, controllerManager } = options.tokens;
  await writeFile(tokenFile, `${admin},${ADMIN_USER},${ADMIN_USER},"system:masters"\n${controllerManager},${CONTROLLER_MANAGER_USER},${CONTROLLER_MANAGER_USER},"system:masters"\n`, { mode: 0o600 });
  const auditArgs: string[] = [];
  if (auditLogPath) {
    // Every request once (its last stage), metadata only: who, user agent, verb, resource, code.
    const policyPath = join(dir, 'audit-policy.yaml');
    await writeFile(policyPath, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n');
    auditArgs.push(`--audit-policy-file=${policyPath}`, `--audit-log-path=${auditLogPath}`, '--audit-log-format=json');
  }
  return startChild({
    name: 'kube-apiserver',
    command: options.binary,
    args: [
      `--etcd-servers=${options.etcdUrl}`,
      `--secure-port=${port}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      `--tls-cert-file=${certs.servingCertPath}`,
      `--tls-private-key-file=${certs.servingKeyPath}`,
      `--client-ca-file=${certs.caCertPath}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      `--service-account-issuer=https://127.0.0.1:${port}/`,
      `--service-account-key-file=${certs.serviceAccountKeyPath}`,
      `--service-account-signing-key-file=${certs.serviceAccountKeyPath}`,
      '--allow-privileged=true',
      // No controller-manager creates the default ServiceAccount, so Pods would be refused.
      '--disable-admission-plugins=ServiceAccount',
      ...auditArgs,
    ],
    logPath: join(dir, 'kube-apiserver.log'),
    ...(options.env ? { env: options.env } : {}),
  });
}
