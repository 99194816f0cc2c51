export { compositionsModule } from './module.ts';
export { claimCrd, compositeCrd } from './xrd-to-crd.ts';
