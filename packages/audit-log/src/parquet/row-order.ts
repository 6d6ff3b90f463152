/**
 * The sort keys of a batch's rows (UTC day, event type, event time) and where each row's text lies in the
 * batch buffer, held in typed arrays: a day of a million generated rows costs the garbage collector nothing.
 * Ties on (day, type, time) are broken by the uid, compared as the UTF-8 bytes DuckDB would compare.
 */
export class RowOrder {
  count = 0;
  private days = new Int32Array(1024);
  private types = new Uint16Array(1024);
  private times = new Float64Array(1024);
  private starts = new Uint32Array(1024);
  private ends = new Uint32Array(1024);
  private readonly typeIds = new Map<string, number>();

  /** Whether one more row fits the key arrays (at most 65,536 event types, rows at offsets below 4 GiB). */
  add(day: number, type: string, ms: number, start: number, end: number): boolean {
    let typeId = this.typeIds.get(type);
    if (typeId === undefined) {
      if (this.typeIds.size > 0xffff) return false;
      typeId = this.typeIds.size;
      this.typeIds.set(type, typeId);
    }
    if (end > 0xffffffff) return false;
    if (this.count === this.days.length) this.grow();
    const i = this.count++;
    this.days[i] = day;
    this.types[i] = typeId;
    this.times[i] = ms;
    this.starts[i] = start;
    this.ends[i] = end;
    return true;
  }

  /**
   * Copies the rows of `from` (text rows `<ms>\x01<uid>\x01…\n`) into `to` in (day, event type, event time,
   * uid) order; returns the bytes copied.
   */
  copySorted(from: Buffer, to: Buffer): number {
    // Event types by name: their ids are in order of first appearance.
    const names = [...this.typeIds.keys()];
    const rankOf = new Uint16Array(names.length);
    names
      .map((name, id) => [name, id] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .forEach(([, id], rank) => (rankOf[id] = rank));
    const { days, types, times, starts } = this;
    const uidOf = (row: number): [number, number] => {
      const begin = from.indexOf(1, starts[row]) + 1;
      return [begin, from.indexOf(1, begin)];
    };
    const rows = new Uint32Array(this.count);
    for (let i = 0; i < rows.length; i++) rows[i] = i;
    rows.sort((a, b) => {
      const byKey = days[a]! - days[b]! || rankOf[types[a]!]! - rankOf[types[b]!]! || times[a]! - times[b]!;
      if (byKey !== 0) return byKey;
      const [a0, a1] = uidOf(a);
      const [b0, b1] = uidOf(b);
      return from.compare(from, b0, b1, a0, a1);
    });
    let at = 0;
    for (const row of rows) at += from.copy(to, at, starts[row], this.ends[row]);
    return at;
  }

  private grow(): void {
    const size = 2 * this.days.length;
    const grown = <T extends Int32Array | Uint16Array | Float64Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.days = grown(this.days, (n) => new Int32Array(n));
    this.types = grown(this.types, (n) => new Uint16Array(n));
    this.times = grown(this.times, (n) => new Float64Array(n));
    this.starts = grown(this.starts, (n) => new Uint32Array(n));
    this.ends = grown(this.ends, (n) => new Uint32Array(n));
  }
}
