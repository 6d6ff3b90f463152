/** A response action that cannot be saved or run as written (→ 400 naming the field). */
export class InvalidAction extends Error {
  override name = 'InvalidAction';
  constructor(
    message: string,
    /** Dotted path of the offending field in the rule's spec, e.g. `schedule.cron`. */
    readonly path: string,
  ) {
    super(message);
  }
}
