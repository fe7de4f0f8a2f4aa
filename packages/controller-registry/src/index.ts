/** JIMM's registry of controllers and the models each hosts. */
export type { ControllerRecord, ModelPlacement } from './controller-record.js';
export { REGISTRY_APPLICATION_ID } from './registry-schema.js';
export { SqliteControllerRegistry } from './sqlite-controller-registry.js';
