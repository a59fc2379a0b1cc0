import { expect, it } from 'vitest';
import { startTarget } from '../support/workers-target.ts';

// The behaviour suite's "the key appears in no log line" checks are only worth something if the
// workers target really sees the Worker's log lines.

it('collects the log lines of the Worker under test', async () => {
  const target = await startTarget();
  try {
    const response = await target.fetch('/providers');
    expect(response.status).toBe(200);
    const lines = target.logs().map((line) => JSON.parse(line));
    expect(lines).toContainEqual(expect.objectContaining({ message: 'request', method: 'GET', path: '/api/v1/providers', status: 200 }));
  } finally {
    await target.close();
  }
});
