/** A store was asked to create a record whose id (or unique key) it already holds. */
export class DuplicateRecordError extends Error {
  constructor(kind: string, id: string) {
    super(`${kind} ${id} already exists`);
    this.name = 'DuplicateRecordError';
  }
}
