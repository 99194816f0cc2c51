// The composition render engine: function-patch-and-transform's semantics as one pure function.
export { render } from './render.ts';
export type * from './types.ts';
