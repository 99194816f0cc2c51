import type { Provider } from '../core/managed/types.ts';
import { awsProvider } from './aws/index.ts';
import { azureProvider } from './azure/index.ts';
import { gcpProvider } from './gcp/index.ts';
import { nopProvider } from './nop/index.ts';

/** Every provider Pledge serves. Adding a cloud means adding it here, nowhere else. */
export const providers: readonly Provider[] = [awsProvider, azureProvider, gcpProvider, nopProvider];
