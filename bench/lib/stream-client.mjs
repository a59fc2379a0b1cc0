// SSE clients for the latency and memory scenarios.
import { Agent, request } from 'node:http';

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Streams one chat answer and times it. The fake upstream puts each chunk's send time
 * (performance.timeOrigin + performance.now() in its process) in the delta content, so each
 * content chunk's delay is its arrival time here minus that.
 */
export function timedStream({ port, path, body, agent, headers = {} }) {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    let ttfbMs;
    let ttftMs;
    const delaysMs = [];
    let done = false;
    let buffer = '';
    const start = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`${path} answered ${res.statusCode}`));
        }
        res.setEncoding('utf8');
        let firstByte = true;
        res.on('data', (text) => {
          const arrivedWall = wallNow();
          const arrived = performance.now();
          if (firstByte) {
            ttfbMs = arrived - start;
            firstByte = false;
          }
          buffer += text;
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            for (const line of event.split('\n')) {
              if (!line.startsWith('data:')) continue;
              const data = line.slice(5).trim();
              if (data === '[DONE]') {
                done = true;
                continue;
              }
              const content = JSON.parse(data).choices?.[0]?.delta?.content;
              if (typeof content === 'string' && content.length > 0) {
                const sent = Number(content);
                if (ttftMs === undefined) ttftMs = arrived - start;
                if (Number.isFinite(sent)) delaysMs.push(arrivedWall - sent);
              }
            }
          }
        });
        res.on('end', () => resolve({ ttfbMs, ttftMs, delaysMs, done }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function keepAliveAgent() {
  return new Agent({ keepAlive: true, maxSockets: 1 });
}

/**
 * Opens `count` streams at once (in batches, so the listen backlog is not overrun) and resolves
 * when each has received its first content chunk, or after timeoutMs. Returns {opened, failed,
 * abortAll()}.
 */
export async function holdStreams({ port, path, body, headers = {}, count, batch = 100, timeoutMs = 30_000 }) {
  const payload = JSON.stringify(body);
  const requests = [];
  let opened = 0;
  let failed = 0;
  let aborting = false;
  let notify;
  const progress = () => notify?.();
  const openOne = () => {
    let counted = false;
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        if (res.statusCode !== 200) {
          failed++;
          res.resume();
          return progress();
        }
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (part) => {
          if (counted) return;
          text += part;
          if (/"content":"\d/.test(text)) {
            counted = true;
            opened++;
            progress();
          }
        });
        res.on('error', () => {});
      },
    );
    req.on('error', () => {
      if (!aborting && !counted) {
        failed++;
        progress();
      }
    });
    req.end(payload);
    requests.push(req);
  };
  for (let started = 0; started < count; started += batch) {
    for (let i = started; i < Math.min(count, started + batch); i++) openOne();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const deadline = performance.now() + timeoutMs;
  while (opened + failed < count && performance.now() < deadline) {
    await new Promise((resolve) => {
      notify = resolve;
      setTimeout(resolve, 100);
    });
  }
  return {
    opened,
    failed,
    abortAll() {
      aborting = true;
      for (const req of requests) req.destroy();
    },
  };
}
