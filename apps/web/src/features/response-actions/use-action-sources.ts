import { useQuery } from '@tanstack/react-query';
import type { ActionSource } from '@access-monitor/contracts';
import { allows, PERMISSIONS } from '@access-monitor/rbac';
import { useAccess } from '../../lib/session/use-me';
import { reportListOptions, savedQueriesOptions } from '../../lib/shared-queries';
import { sourceValue } from './action-form';

/** One choice of the source picker: its select value (`finding:<report>/<id>`, `query:<name>`) and title. */
export interface SourceChoice {
  value: string;
  title: string;
}

export interface SourceGroup {
  label: string;
  choices: SourceChoice[];
}

/**
 * What a rule may run: every finding of every security report, and the saved audit queries (for those who may list
 * them), grouped as the picker shows them; `titleOf` names a rule's source for the list.
 */
export function useActionSources() {
  const access = useAccess();
  const reports = useQuery({ ...reportListOptions(), enabled: allows(access, PERMISSIONS.listReports) });
  const queries = useQuery({ ...savedQueriesOptions(), enabled: allows(access, PERMISSIONS.listQueries) });

  const groups: SourceGroup[] = [
    ...(reports.data?.reports ?? []).map((r) => ({
      label: r.title,
      choices: r.queries.map((q) => ({ value: `finding:${r.name}/${q.id}`, title: q.title })),
    })),
    ...(queries.data && queries.data.queries.length > 0
      ? [{ label: 'Saved audit queries', choices: queries.data.queries.map((q) => ({ value: `query:${q.name}`, title: q.title })) }]
      : []),
  ];
  const titles = new Map(groups.flatMap((g) => g.choices.map((c) => [c.value, c.title] as const)));

  return {
    groups,
    loading: reports.isLoading || queries.isLoading,
    titleOf: (source: ActionSource): string | undefined => titles.get(sourceValue(source)),
  };
}
