import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type Certificates = {
  caCertPath: string;
  caKeyPath: string;
  servingCertPath: string;
  servingKeyPath: string;
  /** RSA private key; the API server signs service-account tokens with it and derives the public key from it. */
  serviceAccountKeyPath: string;
};

export type CertificatesOptions = {
  dir: string;
  /** Subject alternative names of the serving certificate. */
  hosts?: { ips: string[]; dns: string[] };
  signal?: AbortSignal;
  /** Validity of the CA and serving certificate. Default 7 days (a test environment's). */
  days?: number;
};

/** Where createCertificates writes each file in dir. */
export function certificatePaths(dir: string): Certificates {
  return {
    caCertPath: join(dir, 'ca.crt'),
    caKeyPath: join(dir, 'ca.key'),
    servingCertPath: join(dir, 'apiserver.crt'),
    servingKeyPath: join(dir, 'apiserver.key'),
    serviceAccountKeyPath: join(dir, 'service-account.key'),
  };
}

/** Writes a throwaway CA, an API server serving certificate signed by it and a service-account key, using the openssl CLI. */
export async function createCertificates(options: CertificatesOptions): Promise<Certificates> {
  const { dir, signal } = options;
  const hosts = options.hosts ?? { ips: ['127.0.0.1'], dns: ['localhost'] };
  const certs = certificatePaths(dir);
  const openssl = (args: string[]) => run('openssl', args, { signal, cwd: dir });
  const days = String(options.days ?? 7);

  const caConfig = join(dir, 'ca.cnf');
  const servingExt = join(dir, 'apiserver.ext');
  const csr = join(dir, 'apiserver.csr');
  const san = [...hosts.ips.map((ip) => `IP:${ip}`), ...hosts.dns.map((name) => `DNS:${name}`)].join(',');
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(caConfig, '[req]\ndistinguished_name=dn\n[dn]\n[v3_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\n'),
    writeFile(servingExt, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`),
  ]);

  // EC keys are quick to make; the service-account key must be RSA (RS256 tokens).
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await Promise.all([
    openssl(['req', '-x509', ...ecKey, '-keyout', certs.caKeyPath, '-out', certs.caCertPath, '-days', days, '-subj', '/CN=pledge-test-ca', '-extensions', 'v3_ca', '-config', caConfig]),
    openssl(['req', '-new', ...ecKey, '-keyout', certs.servingKeyPath, '-out', csr, '-subj', '/CN=kube-apiserver', '-config', caConfig]),
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', certs.serviceAccountKeyPath]),
  ]);
  await openssl(['x509', '-req', '-in', csr, '-CA', certs.caCertPath, '-CAkey', certs.caKeyPath, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', days, '-out', certs.servingCertPath, '-extfile', servingExt]);
  return certs;
}

