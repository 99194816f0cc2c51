import type { ServiceContext } from './service-context.ts';
import type { SimService } from './sim-http.ts';
export function createAwsServices(_ctx: ServiceContext): SimService[] {
  return [];
}
