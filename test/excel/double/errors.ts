/**
 * Errors shaped like Office's `OfficeExtension.Error` (name "RichApi.Error", a `code`, and `debugInfo`), so
 * code under test handles them exactly as it would handle Excel's.
 */
export interface DebugInfoDouble {
  code: string;
  message: string;
  errorLocation?: string;
  statement?: string;
}

export class OfficeErrorDouble extends Error {
  override readonly name = "RichApi.Error";
  readonly code: string;
  readonly debugInfo: DebugInfoDouble;
  readonly traceMessages: string[] = [];

  constructor(code: string, message: string, errorLocation?: string) {
    super(message);
    this.code = code;
    this.debugInfo = errorLocation === undefined ? { code, message } : { code, message, errorLocation };
  }
}

export function officeError(code: string, message: string, errorLocation?: string): OfficeErrorDouble {
  return new OfficeErrorDouble(code, message, errorLocation);
}

export function propertyNotLoaded(property: string, entity: string): OfficeErrorDouble {
  return officeError(
    "PropertyNotLoaded",
    `The property '${property}' is not available. Before reading the property's value, call the load method on the ` +
      `containing object and call "context.sync()" on the associated request context.`,
    `${entity}.${property}`
  );
}

export function valueNotLoaded(): OfficeErrorDouble {
  return officeError(
    "ValueNotLoaded",
    `The value of the result object has not been loaded yet. Before reading the value property, call "context.sync()" on the associated request context.`
  );
}

export function invalidArgument(message: string, location?: string): OfficeErrorDouble {
  return officeError("InvalidArgument", message, location);
}
