/**
 * One CSV line the way Athena writes results: every non-NULL value in double quotes (quotes
 * doubled), NULL as an unquoted empty field, `\n` at the end.
 */
export function athenaCsvLine(values: ReadonlyArray<string | null>): string {
  return `${values.map((v) => (v === null ? '' : `"${v.replaceAll('"', '""')}"`)).join(',')}\n`;
}
