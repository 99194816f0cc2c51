import type { ServiceContext } from './service-context.ts';
import type { SimService } from './sim-http.ts';
export function createGoogleOAuthService(_ctx: ServiceContext): SimService {
  return { name: 'google-oauth', route: () => undefined, throttled: () => ({ status: 429 }), internalError: () => ({ status: 500 }), unavailable: () => ({ status: 503 }) };
}
