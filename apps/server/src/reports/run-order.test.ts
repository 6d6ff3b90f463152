import { describe, expect, it } from 'vitest';
import { startOrder } from './run-report';

const q = (...ids: string[]) => ids.map((id) => ({ id }));
/** The ids of `queries` in the order startOrder starts them. */
const longestFirst = (queries: Array<{ id: string }>, last: ReadonlyMap<string, number> | undefined) => startOrder(queries, last).map((i) => queries[i]!);

describe('the order a report run starts its findings in', () => {
  it("is the report's own order on a first run", () => {
    expect(longestFirst(q('a', 'b', 'c'), undefined).map((x) => x.id)).toEqual(['a', 'b', 'c']);
  });

  it('starts the finding that cost most last time first, and one never measured before all of them', () => {
    const last = new Map([
      ['a', 120],
      ['b', 5_000],
      ['c', 800],
    ]);
    expect(longestFirst(q('a', 'b', 'c', 'new'), last).map((x) => x.id)).toEqual(['new', 'b', 'c', 'a']);
  });

  it("keeps the report's order between findings that cost as much", () => {
    const last = new Map([
      ['a', 10],
      ['b', 10],
      ['c', 10],
    ]);
    expect(longestFirst(q('c', 'a', 'b'), last).map((x) => x.id)).toEqual(['c', 'a', 'b']);
  });
});
