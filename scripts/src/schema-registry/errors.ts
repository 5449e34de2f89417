/** Base class of every error the schema-registry harness throws: the message says what to do next. */
export class RegistryHarnessError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
