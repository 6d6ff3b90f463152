import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { SchemaView } from '@access-monitor/contracts';
import { ApiProblem } from '../../../components/api-problem';
import { Skeleton } from '../../../components/skeleton';
import { auditSchemaOptions } from '../api';

/** Views and functions of the audit log; clicking a name inserts it into the SQL. */
export function SchemaPanel({ onInsert }: { onInsert: (text: string) => void }) {
  const schema = useQuery(auditSchemaOptions());
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const views = schema.data?.views.filter((v) => !needle || v.name.includes(needle) || v.eventType?.includes(needle)) ?? [];

  return (
    <details className="card schema-panel" open>
      <summary className="schema-panel__summary">Audit log schema</summary>
      {schema.isPending ? (
        <Skeleton label="Loading the schema…" height={120} />
      ) : schema.isError ? (
        <ApiProblem error={schema.error} testId="schema-problem" />
      ) : (
        <>
          <label className="sr-only" htmlFor="schema-filter">
            Filter views
          </label>
          <input
            id="schema-filter"
            type="search"
            className="input schema-panel__filter"
            placeholder="Filter views…"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
          <ul className="schema-panel__views">
            {views.map((view) => (
              <SchemaViewItem key={view.name} view={view} onInsert={onInsert} />
            ))}
            {views.length === 0 ? <li className="empty-state">No view matches “{filter}”.</li> : null}
          </ul>
          {schema.data.functions.length > 0 ? (
            <details className="schema-panel__functions">
              <summary>Functions ({schema.data.functions.length})</summary>
              <ul>
                {schema.data.functions.map((f) => (
                  <li key={f.signature}>
                    <code>{f.signature}</code>
                    <p className="muted">{f.description}</p>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      )}
    </details>
  );
}

function SchemaViewItem({ view, onInsert }: { view: SchemaView; onInsert: (text: string) => void }) {
  return (
    <li className="schema-view">
      <button type="button" className="link-button schema-view__name" onClick={() => onInsert(view.name)} title={`Insert ${view.name} into the SQL`}>
        {view.name}
      </button>
      {view.eventType ? <span className="muted schema-view__event"> {view.eventType}</span> : null}
      <details className="schema-view__columns">
        <summary>
          {view.columns.length} columns<span className="sr-only"> of {view.name}</span>
        </summary>
        {view.description ? <p className="muted">{view.description}</p> : null}
        <ul>
          {view.columns.map((c) => (
            <li key={c.name}>
              <button type="button" className="link-button" onClick={() => onInsert(c.name)} title={c.description ?? `Insert ${c.name}`}>
                {c.name}
              </button>{' '}
              <span className="schema-view__type">{c.type}</span>
            </li>
          ))}
        </ul>
      </details>
    </li>
  );
}
