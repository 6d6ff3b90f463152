import { useEffect, useState } from 'react';
import { useLocation, useNavigationType } from 'react-router';
import { isOwnNavigation } from './use-query-page-params';

const URL_WRITE_DELAY_MS = 400;

/**
 * The SQL being edited. It follows the URL when the URL changes from outside (a link, back/forward) and is
 * written back to the URL shortly after typing stops, so a copied link carries what is on screen.
 * (Editing the URL on every keystroke would move the caret: router updates are not synchronous.)
 */
export function useSqlDraft(urlSql: string, writeSql: (sql: string) => void) {
  const location = useLocation();
  const navigationType = useNavigationType();
  const [draft, setDraft] = useState(urlSql);
  const [seenLocation, setSeenLocation] = useState(location.key);

  if (seenLocation !== location.key) {
    setSeenLocation(location.key);
    if ((navigationType === 'POP' || !isOwnNavigation(location.state)) && draft !== urlSql) setDraft(urlSql);
  }

  useEffect(() => {
    if (draft === urlSql) return;
    const timer = setTimeout(() => writeSql(draft), URL_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, urlSql, writeSql]);

  return [draft, setDraft] as const;
}
