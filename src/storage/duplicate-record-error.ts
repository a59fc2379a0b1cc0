/** A store was asked to create a record whose id (or unique key) it already holds. */
export class DuplicateRecordError extends Error {
  constructor(kind: string, id: string) {
    super(`${kind} ${id} already exists`);
    this.name = 'DuplicateRecordError';
  }
}

/**
 * A provider write would give a second provider a name that is already taken (names match
 * case-insensitively). The store refuses it itself, so two processes sharing one store cannot
 * both pass the service's check and store the same name.
 */
export class DuplicateNameError extends Error {
  constructor(readonly providerName: string) {
    super(`A provider named "${providerName}" already exists`);
    this.name = 'DuplicateNameError';
  }
}
