import { describe, expect, it } from 'vitest';
import type { ResultsPage } from '@access-monitor/contracts';
import { PageCache, type FetchPage } from './page-cache';

const TOTAL = 1_000_000;

/** A result of TOTAL rows whose only column is the row number, answered at once; records what was asked. */
function resultOfNumbers() {
  const asked: number[] = [];
  const aborted: number[] = [];
  const fetchPage: FetchPage = (offset, limit, signal) => {
    asked.push(offset);
    signal.addEventListener('abort', () => aborted.push(offset));
    const rows = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => [offset + i]);
    return Promise.resolve<ResultsPage>({ columns: [{ name: 'n', type: 'bigint' }], rows, offset, totalRows: TOTAL });
  };
  return { fetchPage, asked, aborted };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('PageCache', () => {
  it('fetches the pages a visible range needs, once each, and serves their rows by index', async () => {
    const { fetchPage, asked } = resultOfNumbers();
    const cache = new PageCache(fetchPage, 100, 10);
    expect(cache.row(150)).toBeUndefined();
    cache.ensure(150, 260);
    cache.ensure(150, 260);
    await settle();
    expect(asked).toEqual([100, 200]);
    expect(cache.row(150)).toEqual([150]);
    expect(cache.row(260)).toEqual([260]);
  });

  it('keeps at most maxPages pages while scrolling from the first row of a million to the last', async () => {
    const { fetchPage } = resultOfNumbers();
    const cache = new PageCache(fetchPage, 200, 8);
    for (let top = 0; top < TOTAL; top += 40_000) {
      cache.ensure(top, top + 40);
      await settle();
      expect(cache.row(top + 40)).toEqual([top + 40]);
      expect(cache.loadedPages).toBeLessThanOrEqual(8);
    }
    cache.ensure(TOTAL - 30, TOTAL - 1);
    await settle();
    expect(cache.row(TOTAL - 1)).toEqual([TOTAL - 1]);
  });

  it('drops a page it no longer needs while it loads, and refetches a page it evicted', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { fetchPage: numbers, asked, aborted } = resultOfNumbers();
    const slow: FetchPage = async (offset, limit, signal) => {
      const page = numbers(offset, limit, signal);
      await gate;
      return page;
    };
    const cache = new PageCache(slow, 100, 1);
    cache.ensure(0, 10);
    cache.ensure(50_000, 50_010); // scrolled far away before page 0 arrived
    expect(aborted).toEqual([0]);
    release();
    await settle();
    expect(cache.row(5)).toBeUndefined();
    expect(cache.row(50_005)).toEqual([50_005]);
    cache.ensure(0, 10);
    await settle();
    expect(cache.row(5)).toEqual([5]);
    expect(cache.row(50_005)).toBeUndefined(); // evicted: only one page is kept
    expect(asked).toEqual([0, 50_000, 0]);
  });
});
