import type { ActionSource } from '@access-monitor/contracts';

/** What a rule runs: the finding's or saved query's title when known, and its id in code. */
export function SourceName({ source, title }: { source: ActionSource; title: string | undefined }) {
  const id = 'finding' in source ? source.finding : source.audit_query;
  const kind = 'finding' in source ? 'Finding' : 'Saved audit query';
  return (
    <span className="source-name">
      <span className="sr-only">{kind}: </span>
      {title ? <span className="source-name__title">{title}</span> : null}
      <code className="source-name__id">{id}</code>
    </span>
  );
}
