import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { writeRowView } from './finding-table-view';
import { parseOpenRows, type OpenRows } from './report-view';

/** Which finding's rows are open and at which page, kept in the URL (`?rows=<id>&page=N`) so a link reopens them. */
export function useOpenRows(): OpenRows & { setOpen: (queryId: string, open: boolean) => void; setPage: (page: number) => void } {
  const [params, setParams] = useSearchParams();
  const openRows = parseOpenRows(params);

  const setOpen = useCallback(
    (queryId: string, open: boolean) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.delete('page');
          // Sort and filters belong to the table that was open.
          writeRowView(next, { filters: {} });
          if (open) next.set('rows', queryId);
          else next.delete('rows');
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const setPage = useCallback(
    (page: number) =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        if (page > 1) next.set('page', String(page));
        else next.delete('page');
        return next;
      }),
    [setParams],
  );

  return { ...openRows, setOpen, setPage };
}
