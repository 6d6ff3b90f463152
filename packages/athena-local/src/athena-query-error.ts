/** Where Athena (Trino) points in the query text: 1-based line and column. */
export interface QueryLocation {
  line: number;
  column: number;
}

/**
 * A query Athena would fail: `<ERROR_NAME>: line L:C: <message>` in StateChangeReason, as
 * Athena engine version 3 reports Trino's errors (`SYNTAX_ERROR`, `TABLE_NOT_FOUND`,
 * `COLUMN_NOT_FOUND`, `FUNCTION_NOT_FOUND`, `NOT_SUPPORTED`, …).
 */
export class AthenaQueryError extends Error {
  override readonly name = 'AthenaQueryError';
  constructor(
    readonly errorName: string,
    readonly location: QueryLocation,
    readonly detail: string,
  ) {
    super(`${errorName}: line ${location.line}:${location.column}: ${detail}`);
  }

  /** StateChangeReason and AthenaError.ErrorMessage. */
  get reason(): string {
    return this.message;
  }
}

export const START: QueryLocation = { line: 1, column: 1 };
