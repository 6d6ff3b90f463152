export interface FilePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column?: number;
}

/** A role file that cannot be used; the message reads `file:line:column: reason`. */
export class RoleFileError extends Error {
  override readonly name = 'RoleFileError';
  constructor(
    readonly fileName: string,
    readonly reason: string,
    readonly position?: FilePosition,
  ) {
    super(`${fileName}${formatPosition(position)}: ${reason}`);
  }
}

function formatPosition(position: FilePosition | undefined): string {
  if (!position) return '';
  return position.column === undefined ? `:${position.line}` : `:${position.line}:${position.column}`;
}
