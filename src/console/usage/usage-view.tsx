import type { GatewayClient, UsageReport } from 'llm-gateway-client';
import { useEffect, useState } from 'preact/hooks';
import { AlertText } from '../ui/alert-text.tsx';
import { errorMessage } from '../ui/error-message.ts';
import { UsageChart } from './usage-chart.tsx';
import { buildUsageSeries } from './usage-series.ts';
import { UsageTable } from './usage-table.tsx';

// Usage of the last 30 days (the gateway's default range): tokens per day by provider, as a
// chart and as a table of the same figures. Provider ids are shown by name where the caller
// may list providers (an access key may not: it sees ids).

export function UsageView({ gateway, revision }: { gateway: GatewayClient; revision: number }) {
  const [report, setReport] = useState<UsageReport>();
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [loadError, setLoadError] = useState<string>();

  const load = async () => {
    setLoadError(undefined);
    try {
      const [usage, providers] = await Promise.all([gateway.usage({ groupBy: ['day', 'provider'] }), gateway.providers.list().catch(() => [])]);
      setNames(new Map(providers.map((provider) => [provider.id, provider.name])));
      setReport(usage);
    } catch (error) {
      setLoadError(errorMessage(error));
    }
  };
  useEffect(() => void load(), [revision]);
  const labelOf = (id: string) => names.get(id) ?? id;

  return (
    <section id="usage" class="panel" aria-labelledby="usage-title">
      <div class="panel-head">
        <h2 id="usage-title">Usage</h2>
        <div class="actions">
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      <AlertText message={loadError} />
      {report === undefined && !loadError && <p role="status">Loading usage…</p>}
      {report && (
        <>
          <p class="hint">
            From {report.from.slice(0, 10)} to {report.to.slice(0, 10)} (UTC days).
          </p>
          {report.data.length === 0 ? (
            <p>No usage recorded in this period.</p>
          ) : (
            <>
              <UsageChart series={buildUsageSeries(report, labelOf)} />
              <UsageTable rows={report.data} labelOf={labelOf} />
            </>
          )}
        </>
      )}
    </section>
  );
}
