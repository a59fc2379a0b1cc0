import type { GatewayClient, LogRow, LogsQuery, Session } from 'llm-gateway-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { ViewHeading } from '../ui/view-heading.tsx';
import type { LogNames } from './describe-log-row.ts';
import { LogTable } from './log-table.tsx';
import { loadLogNames } from './load-log-names.ts';

// The request log (GET /logs): the newest requests first, a page at a time ("Load more" asks for
// the page before the last one shown), filtered by key, provider and status. The admin sees
// everyone's requests; an access key its own, so it gets no key filter.

const PAGE_SIZE = 50;
const STATUSES: Array<[string, string]> = [
  ['', 'Any status'],
  ['ok', 'OK'],
  ['error', 'Failed'],
];

interface Filters {
  key: string;
  provider: string;
  status: '' | 'ok' | 'error';
}

export interface LogsViewProps {
  gateway: GatewayClient;
  session: Session;
  scope: 'all' | 'own';
}

const byName = (names: ReadonlyMap<string, string>) => [...names].sort((a, b) => a[1].localeCompare(b[1]));

/** A filter: its label, and its options as [value, text], the first one for "any". */
function FilterSelect({ id, label, value, options, onChange }: { id: string; label: string; value: string; options: Array<[string, string]>; onChange: (event: Event) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={onChange}>
        {options.map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function LogsView({ gateway, session, scope }: LogsViewProps) {
  const [filters, setFilters] = useState<Filters>({ key: '', provider: '', status: '' });
  const [names, setNames] = useState<LogNames>({ keys: new Map(), providers: new Map() });
  const [rows, setRows] = useState<LogRow[]>();
  const [next, setNext] = useState<string>();
  const [loadError, setLoadError] = useState<string>();
  const [loading, setLoading] = useState(true);
  // A page asked for under filters since changed must not land among the new ones.
  const asked = useRef(0);

  const load = async (before?: string) => {
    const ticket = ++asked.current;
    setLoading(true);
    setLoadError(undefined);
    const query: LogsQuery = { limit: PAGE_SIZE, before, key: filters.key || undefined, provider: filters.provider || undefined, status: filters.status || undefined };
    try {
      const [page, known] = await Promise.all([gateway.logs(query), before === undefined ? loadLogNames(gateway, session, scope) : undefined]);
      if (ticket !== asked.current) return;
      if (known) setNames(known);
      setRows((shown) => (before === undefined ? page.data : [...(shown ?? []), ...page.data]));
      setNext(page.next);
    } catch (error) {
      if (ticket === asked.current) setLoadError(errorMessage(error));
    } finally {
      if (ticket === asked.current) setLoading(false);
    }
  };
  useEffect(() => void load(), [filters]);

  const filter = (field: keyof Filters) => (event: Event) => setFilters({ ...filters, [field]: (event.currentTarget as HTMLSelectElement).value as Filters[typeof field] });
  const filtered = filters.key !== '' || filters.provider !== '' || filters.status !== '';

  return (
    <section class="panel" aria-labelledby="logs-title">
      <div class="panel-head">
        <ViewHeading id="logs-title">Logs</ViewHeading>
        <div class="actions">
          <button type="button" disabled={loading} onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      <div class="usage-controls" role="group" aria-label="Filters">
        {scope === 'all' && <FilterSelect id="logs-key" label="Key" value={filters.key} options={[['', 'Any key'], ...byName(names.keys)]} onChange={filter('key')} />}
        <FilterSelect id="logs-provider" label="Provider" value={filters.provider} options={[['', 'Any provider'], ...byName(names.providers)]} onChange={filter('provider')} />
        <FilterSelect id="logs-status" label="Status" value={filters.status} options={STATUSES} onChange={filter('status')} />
      </div>
      <p class="hint">Metadata only: no prompt, no answer. Times are UTC.</p>
      <AlertText message={loadError} />
      {loading && rows === undefined && <p role="status">Loading the log…</p>}
      {rows !== undefined &&
        (rows.length === 0 ? (
          <p>{filtered ? 'No requests match these filters.' : 'No requests recorded yet.'}</p>
        ) : (
          <LogTable rows={rows} names={names} showKey={scope === 'all'} />
        ))}
      {next !== undefined && (
        <div class="actions">
          <button type="button" disabled={loading} onClick={() => void load(next)}>
            Load more
          </button>
        </div>
      )}
    </section>
  );
}
