/**
 * Finding the model an admin command names, by name or UUID, with a refusal that says where to
 * look when there is none.
 */
import { JujuSshError, type ModelRecord, quoteUntrusted } from '@juju-ssh/core';

/** The part of the store model lookups need. */
export interface ModelDirectory {
  findModel(nameOrUuid: string): ModelRecord | undefined;
}

/**
 * The model called or identified by `nameOrUuid`.
 * @throws JujuSshError `not-found` pointing at list-models.
 */
export function requireModel(store: ModelDirectory, nameOrUuid: string): ModelRecord {
  const model = store.findModel(nameOrUuid);
  if (model === undefined) {
    throw new JujuSshError(
      'not-found',
      `no model named or with UUID ${quoteUntrusted(nameOrUuid)}; see list-models`,
    );
  }
  return model;
}
