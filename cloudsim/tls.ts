/** A throwaway CA and a serving certificate signed by it, made with the openssl CLI at start. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type TlsFiles = { caCertPath: string; certPath: string; keyPath: string };
export type TlsMaterial = TlsFiles & { cert: string; key: string };

export const TLS_DEFAULTS = { days: 7, names: ['127.0.0.1', '::1', 'localhost'] } as const;

/** Writes ca.crt, ca.key, server.crt and server.key into dir; the certificate covers 127.0.0.1, ::1, localhost and extraNames. */
export async function createTls(options: { dir: string; extraNames?: string[]; signal?: AbortSignal }): Promise<TlsMaterial> {
  const { dir, signal } = options;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = { caCertPath: join(dir, 'ca.crt'), caKeyPath: join(dir, 'ca.key'), certPath: join(dir, 'server.crt'), keyPath: join(dir, 'server.key') };
  const names = [...new Set([...TLS_DEFAULTS.names, ...(options.extraNames ?? [])])];
  const san = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  const config = join(dir, 'openssl.cnf');
  const ext = join(dir, 'server.ext');
  const csr = join(dir, 'server.csr');
  await Promise.all([
    writeFile(config, '[req]\ndistinguished_name=dn\n[dn]\n[v3_ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign,digitalSignature\nsubjectKeyIdentifier=hash\n'),
    writeFile(ext, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`),
  ]);
  const openssl = (args: string[]) => run('openssl', args, { signal, cwd: dir });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const days = String(TLS_DEFAULTS.days);
  await Promise.all([
    openssl(['req', '-x509', ...ecKey, '-keyout', files.caKeyPath, '-out', files.caCertPath, '-days', days, '-subj', '/CN=cloudsim-ca', '-extensions', 'v3_ca', '-config', config]),
    openssl(['req', '-new', ...ecKey, '-keyout', files.keyPath, '-out', csr, '-subj', '/CN=cloudsim', '-config', config]),
  ]);
  await openssl(['x509', '-req', '-in', csr, '-CA', files.caCertPath, '-CAkey', files.caKeyPath, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', days, '-out', files.certPath, '-extfile', ext]);
  return loadTls(files);
}

export async function loadTls(files: TlsFiles): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readFile(files.certPath, 'utf8'), readFile(files.keyPath, 'utf8')]);
  return { caCertPath: files.caCertPath, certPath: files.certPath, keyPath: files.keyPath, cert, key };
}
