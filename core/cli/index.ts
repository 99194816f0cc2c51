export { allCrds, buildCli, crdYaml } from './cli.ts';
