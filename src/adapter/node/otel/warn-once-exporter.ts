import type { ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { Logger } from '../../../logging/logger.ts';
import { scrubSecrets } from '../../../upstream/scrub-secrets.ts';

// A collector that is down costs one warning, not one per batch or per request: the first failed
// export says so, the next ones say nothing until an export succeeds again (then one info line).
// Spans of the failed batches are dropped (the batch processor never blocks a request for them).

const SUCCESS = 0;

export function warnOnceExporter(inner: SpanExporter, logger: Logger, collector: string): SpanExporter {
  let failing = false;
  return {
    export(spans, resultCallback) {
      inner.export(spans, (result: ExportResult) => {
        if (result.code !== SUCCESS && !failing) {
          failing = true;
          logger.warn('traces: the OpenTelemetry collector cannot be reached; spans are dropped until it answers', {
            collector,
            error: scrubSecrets(result.error?.message ?? 'unknown'),
          });
        } else if (result.code === SUCCESS && failing) {
          failing = false;
          logger.info('traces: the OpenTelemetry collector answers again', { collector });
        }
        resultCallback(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}
