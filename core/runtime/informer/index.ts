export { createInformerFactory, typeKey } from './factory.ts';
export type { InformerFactory } from './factory.ts';
export { INFORMER_DEFAULTS } from './informer.ts';
export type { Informer, InformerHandlers, ObjectCache } from './informer.ts';
