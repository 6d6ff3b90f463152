/** A CLI failure with the exit code to leave with; the message goes to stderr as is. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
