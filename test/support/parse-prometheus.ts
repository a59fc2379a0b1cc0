import { execFileSync } from 'node:child_process';

// Reads a Prometheus text exposition with the official Python client's parser
// (prometheus_client.parser, Debian's python3-prometheus-client, which .ci/run installs), so the
// test proves the format with a parser that is not ours. Debian's own python3, not whatever
// python3 comes first on PATH.

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  /** A number, or 'nan' / 'inf' / '-inf' as the exposition said. */
  value: number | string;
}

const script = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        # NaN and the infinities are valid sample values but not JSON numbers.
        value = sample.value if math.isfinite(sample.value) else str(sample.value)
        samples.append({"name": sample.name, "labels": sample.labels, "value": value, "type": family.type})
print(json.dumps(samples))
`;

export function parsePrometheusText(text: string): PrometheusSample[] {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' })) as PrometheusSample[];
}
