import type { HttpBindings } from '@hono/node-server';
import type { Context as OtelContext, Span, Tracer } from '@opentelemetry/api';
import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.ts';
import { answerReader } from '../../../telemetry/observe-answer.ts';
import type { AttemptResult, AttemptStart, AttemptTrace, RequestTrace, Tracing } from '../../../telemetry/tracing.ts';
import type { OtelModules } from './load-otel-modules.ts';

// The core's tracing interface on the OpenTelemetry SDK: a SERVER span per API request, continued
// from the client's `traceparent`, and a CLIENT span per upstream attempt, named `chat <model>`,
// with the GenAI semantic conventions' attributes (https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-spans/)
// and the gateway's own (llm_gateway.*). Parents are passed explicitly: no context manager, no
// async hooks. A streamed answer's server span ends when Node has sent its last byte.
//
// Attributes are chosen one by one from what the gateway knows: never a header, a body, a
// query string, a key or a prompt.

export function createOtelTracing(modules: OtelModules, tracer: Tracer): Tracing {
  const { api, propagator } = modules;
  const { SpanKind, SpanStatusCode, ROOT_CONTEXT, trace, defaultTextMapGetter, defaultTextMapSetter } = api;

  function startAttempt(parent: OtelContext, attempt: AttemptStart): AttemptTrace {
    const server = serverAddress(attempt.baseUrl);
    const span = tracer.startSpan(
      `${attempt.operation} ${attempt.requestModel}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': attempt.operation,
          'gen_ai.provider.name': attempt.protocol,
          'gen_ai.request.model': attempt.requestModel,
          ...(server ? { 'server.address': server.address, 'server.port': server.port } : {}),
          'llm_gateway.provider': attempt.providerName,
          'llm_gateway.route': attempt.route,
          ...(attempt.cacheStatus ? { 'llm_gateway.cache_status': attempt.cacheStatus } : {}),
        },
      },
      parent,
    );
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    let ended = false;
    return {
      headers,
      ...(span.isRecording() ? { answerReader } : {}),
      end(result: AttemptResult) {
        if (ended) return;
        ended = true;
        if (span.isRecording()) {
          span.setAttributes({
            ...(result.responseModel ? { 'gen_ai.response.model': result.responseModel } : {}),
            ...(result.inputTokens === undefined ? {} : { 'gen_ai.usage.input_tokens': result.inputTokens }),
            ...(result.outputTokens === undefined ? {} : { 'gen_ai.usage.output_tokens': result.outputTokens }),
            ...(result.finishReasons?.length ? { 'gen_ai.response.finish_reasons': [...result.finishReasons] } : {}),
            ...(result.httpStatus === undefined ? {} : { 'http.response.status_code': result.httpStatus }),
            ...(result.costUsd === undefined ? {} : { 'llm_gateway.cost_usd': result.costUsd }),
          });
          if (result.errorType !== undefined) {
            span.setAttribute('error.type', result.errorType);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
        }
        span.end();
      },
    };
  }

  return {
    startRequest(c: Context<AppEnv>): RequestTrace {
      const incoming = { traceparent: c.req.header('traceparent'), tracestate: c.req.header('tracestate') };
      const remote = propagator.extract(ROOT_CONTEXT, incoming, defaultTextMapGetter);
      const method = c.req.method;
      const span: Span = tracer.startSpan(
        method,
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': method, 'url.path': c.req.path, 'url.scheme': 'http', 'llm_gateway.request_id': c.get('requestId') },
        },
        remote,
      );
      const parent = trace.setSpan(ROOT_CONTEXT, span);
      return {
        answered(status, routePattern) {
          span.updateName(`${method} ${routePattern}`);
          span.setAttributes({ 'http.route': routePattern, 'http.response.status_code': status });
          // HTTP semantic conventions: a server span fails on 5xx only (4xx are the client's).
          if (status >= 500) {
            span.setAttribute('error.type', String(status));
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
          if (outgoing && !outgoing.writableFinished && !outgoing.destroyed) outgoing.once('close', () => span.end());
          else span.end();
        },
        annotate(attributes) {
          if (attributes.route) span.setAttribute('llm_gateway.route', attributes.route);
          if (attributes.cacheStatus) span.setAttribute('llm_gateway.cache_status', attributes.cacheStatus);
        },
        startAttempt: (attempt) => startAttempt(parent, attempt),
      };
    },
  };
}

/** Only where the provider is: its host and port, never the rest of its URL. */
function serverAddress(baseUrl: string): { address: string; port: number } | undefined {
  try {
    const url = new URL(baseUrl);
    return { address: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port) };
  } catch {
    return undefined;
  }
}
