import type { SqlPosition } from '@access-monitor/contracts';

export type { SqlPosition };

/** The SQL parses but is not a statement users may run (wrong statement type, forbidden relation or function). */
export class SqlRejected extends Error {
  override readonly name = 'SqlRejected';
  constructor(
    readonly reason: string,
    readonly position?: SqlPosition,
  ) {
    super(reason);
  }
}

/** The SQL does not parse. */
export class SqlInvalid extends Error {
  override readonly name = 'SqlInvalid';
  constructor(
    message: string,
    readonly position?: SqlPosition,
  ) {
    super(message);
  }
}
