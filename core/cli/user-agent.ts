import type { KubeConfig } from '@kubernetes/client-node';
import { PLEDGE_VERSION } from './version.ts';

/** As client-go's controllers name themselves: `<program>/<version> (<os>/<arch>) …`. */
export const PLEDGE_USER_AGENT = `pledge/${PLEDGE_VERSION} (${process.platform}/${process.arch}) node/${process.versions.node}`;

const named = new WeakSet<KubeConfig>();

/**
 * Every request made with this KubeConfig names Pledge as its user agent (client-node sends undici's otherwise), so
 * the API server's audit log tells Pledge's requests from kubectl's under the same identity. Both client-node's API
 * calls and its watches authenticate through the KubeConfig, which is why the header is added there.
 */
export function namePledge(kubeConfig: KubeConfig): KubeConfig {
  if (named.has(kubeConfig)) return kubeConfig;
  const authenticate = kubeConfig.applySecurityAuthentication.bind(kubeConfig);
  kubeConfig.applySecurityAuthentication = async (context) => {
    await authenticate(context);
    context.setHeaderParam('User-Agent', PLEDGE_USER_AGENT);
  };
  named.add(kubeConfig);
  return kubeConfig;
}
