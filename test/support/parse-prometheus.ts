import { execFileSync } from 'node:child_process';

// Reads a Prometheus text exposition with the official Python client's parser
// (prometheus_client.parser, Debian's python3-prometheus-client, which .ci/run installs), so the
// test proves the format with a parser that is not ours. Debian's own python3, not whatever
// python3 comes first on PATH.

export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const script = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
samples = []
for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        samples.append({"name": sample.name, "labels": sample.labels, "value": sample.value, "type": family.type})
print(json.dumps(samples))
`;

export function parsePrometheusText(text: string): PrometheusSample[] {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: text, encoding: 'utf8' })) as PrometheusSample[];
}
