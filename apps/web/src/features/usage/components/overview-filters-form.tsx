import { useId, type FormEvent } from 'react';
import { SESSION_PROTOCOLS, USAGE_FILTER_MAX_LENGTH, type SessionProtocol, type UsageFilters } from '@access-monitor/contracts';
import { PROTOCOL_LABELS } from '../chart-colors';
import { hasFilters } from '../overview-filters';

interface OverviewFiltersFormProps {
  filters: UsageFilters;
  onApply: (filters: UsageFilters) => void;
  onClear: () => void;
}

/**
 * The overview's filters: typed values apply on Enter or "Apply filters" (one request per chart, not one per keystroke).
 * The fields are keyed by the URL's filters, so a link, Back or "Clear filters" shows what is applied.
 */
export function OverviewFiltersForm({ filters, onApply, onClear }: OverviewFiltersFormProps) {
  const id = useId();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const text = (key: string) => String(data.get(key) ?? '').trim() || undefined;
    const protocol = String(data.get('protocol') ?? '');
    onApply({
      user: text('user'),
      protocol: (SESSION_PROTOCOLS as readonly string[]).includes(protocol) ? (protocol as SessionProtocol) : undefined,
      cluster: text('cluster'),
      host: text('host'),
    });
  };
  return (
    <form
      key={JSON.stringify(filters)}
      className="card overview-filters"
      role="search"
      aria-label="Filter the overview"
      onSubmit={submit}
      data-testid="overview-filters"
    >
      <TextFilter id={id} name="user" label="User" placeholder="alice" value={filters.user} />
      <label className="overview-filters__field" htmlFor={`${id}-protocol`}>
        Protocol
        <select id={`${id}-protocol`} className="input" name="protocol" defaultValue={filters.protocol ?? ''} data-testid="overview-filter-protocol">
          <option value="">All protocols</option>
          {SESSION_PROTOCOLS.map((p) => (
            <option key={p} value={p}>
              {PROTOCOL_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <TextFilter id={id} name="cluster" label="Cluster" placeholder="teleport.example.com" value={filters.cluster} />
      <TextFilter id={id} name="host" label="Host or resource" placeholder="web-01, orders-pg…" value={filters.host} />
      <div className="overview-filters__actions">
        <button type="submit" className="btn btn--primary" data-testid="overview-filters-apply">
          Apply filters
        </button>
        <button type="button" className="btn btn--secondary" onClick={onClear} disabled={!hasFilters(filters)} data-testid="overview-filters-clear">
          Clear filters
        </button>
      </div>
      {filters.protocol || filters.host ? (
        <p className="overview-filters__note">
          Logins have no protocol or host: login counts follow only the user and cluster filters.
        </p>
      ) : null}
    </form>
  );
}

function TextFilter({ id, name, label, placeholder, value }: { id: string; name: string; label: string; placeholder: string; value: string | undefined }) {
  return (
    <label className="overview-filters__field" htmlFor={`${id}-${name}`}>
      {label}
      <input
        id={`${id}-${name}`}
        className="input"
        name={name}
        type="search"
        defaultValue={value ?? ''}
        placeholder={placeholder}
        maxLength={USAGE_FILTER_MAX_LENGTH}
        autoComplete="off"
        spellCheck={false}
        data-testid={`overview-filter-${name}`}
      />
    </label>
  );
}
