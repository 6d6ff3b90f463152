import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { parseRowView, writeRowView, type RowView } from './finding-table-view';

/** The open finding table's sort and filters, kept in the URL (`?sort=-event_time&filter=user:alice`); a change goes back to page 1. */
export function useRowView(): { view: RowView; setView: (view: RowView) => void } {
  const [params, setParams] = useSearchParams();
  const view = parseRowView(params);
  const setView = useCallback(
    (next: RowView) =>
      setParams(
        (prev) => {
          const out = new URLSearchParams(prev);
          writeRowView(out, next);
          out.delete('page');
          return out;
        },
        { replace: true },
      ),
    [setParams],
  );
  return { view, setView };
}
