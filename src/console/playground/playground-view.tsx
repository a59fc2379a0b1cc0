import type { GatewayClient } from 'llm-gateway-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Permissions } from '../session/permissions-of.ts';
import { AlertText } from '../ui/alert-text.tsx';
import { errorMessage, isAbort } from '../ui/error-message.ts';
import { Field } from '../ui/field.tsx';
import { formatNumber } from '../ui/format-number.ts';
import { ViewHeading } from '../ui/view-heading.tsx';
import { streamAnswer, type AnswerStats } from './stream-answer.ts';

// Try a model: pick it from GET /models, send a message, watch the answer stream in, stop it if
// need be, then see which provider served it, its tokens and time to first token.

type Run = { state: 'idle' } | { state: 'streaming' } | { state: 'done'; stats: AnswerStats } | { state: 'stopped' } | { state: 'failed'; message: string };

export interface PlaygroundViewProps {
  gateway: GatewayClient;
  permissions: Permissions;
}

export function PlaygroundView({ gateway, permissions }: PlaygroundViewProps) {
  const [models, setModels] = useState<string[]>();
  const [modelsError, setModelsError] = useState<string>();
  const [failedProviders, setFailedProviders] = useState<string[]>([]);
  const [model, setModel] = useState('');
  const [message, setMessage] = useState('');
  const [answer, setAnswer] = useState('');
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const stop = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    let current = true;
    setModelsError(undefined);
    gateway.models().then(
      (list) => {
        if (!current) return;
        const ids = list.data.map((entry) => entry.id);
        setModels(ids);
        setFailedProviders(list.failedProviders);
        setModel((chosen) => (ids.includes(chosen) ? chosen : (ids[0] ?? '')));
      },
      (error: unknown) => current && setModelsError(errorMessage(error)),
    );
    return () => {
      current = false;
    };
  }, []);
  // Leaving the page (or this view) stops an answer still streaming.
  useEffect(() => () => stop.current?.abort(), []);

  const send = async () => {
    if (run.state === 'streaming' || model === '' || message.trim() === '') return;
    const controller = new AbortController();
    stop.current = controller;
    setAnswer('');
    setRun({ state: 'streaming' });
    try {
      const stats = await streamAnswer(gateway, { model, message, signal: controller.signal, onText: (piece) => setAnswer((text) => text + piece) });
      setRun({ state: 'done', stats });
    } catch (error) {
      setRun(isAbort(error) ? { state: 'stopped' } : { state: 'failed', message: errorMessage(error) });
    }
  };
  const streaming = run.state === 'streaming';

  return (
    <section class="panel" aria-labelledby="playground-title">
      <ViewHeading id="playground-title">Playground</ViewHeading>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <Field label="Model" error={modelsError} hint={modelsHint(models, failedProviders, permissions)}>
          {(control) => (
            <select {...control} value={model} disabled={models === undefined || models.length === 0} onChange={(event) => setModel(event.currentTarget.value)}>
              {models === undefined && <option value="">Loading models…</option>}
              {models?.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Message" hint="Ctrl+Enter sends.">
          {(control) => (
            <textarea
              {...control}
              rows={4}
              value={message}
              onInput={(event) => setMessage(event.currentTarget.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
                  event.preventDefault();
                  void send();
                }
              }}
            />
          )}
        </Field>
        <div class="actions">
          <button type="submit" class="primary" disabled={streaming || model === '' || message.trim() === ''}>
            Send
          </button>
          {streaming && (
            <button type="button" onClick={() => stop.current?.abort()}>
              Stop
            </button>
          )}
        </div>
      </form>
      {/* Holds the answer's text and nothing else (its placeholder is CSS), so what it reads only grows. */}
      <div class="answer" role="region" aria-label="Answer" aria-live="polite" aria-busy={streaming ? 'true' : 'false'}>
        {answer}
      </div>
      {run.state === 'stopped' && <p role="status">Stopped.</p>}
      {run.state === 'failed' && <AlertText message={run.message} />}
      {run.state === 'done' && <AnswerFigures stats={run.stats} />}
    </section>
  );
}

/**
 * What the model list lacks, and why: a provider whose list could not be fetched (GET /models
 * names it in X-Gateway-Model-Errors) is said by name, so "no models" never hides a broken one.
 */
function modelsHint(models: string[] | undefined, failed: string[], permissions: Permissions): string | undefined {
  if (failed.length > 0) {
    const which = `${failed.length === 1 ? 'The model list of' : 'The model lists of'} ${failed.join(', ')} could not be fetched, so ${failed.length === 1 ? 'its' : 'their'} models are missing here.`;
    return `${which} ${permissions.readProviders ? 'Providers → Check says why.' : 'Ask the gateway\'s admin to check it.'}`;
  }
  if (models?.length !== 0) return undefined;
  if (permissions.manageProviders) return 'No models yet: add a provider first (Providers).';
  if (permissions.ownKey) return 'This key may use no model of the providers there are now: ask the gateway\'s admin.';
  return 'No models yet: the gateway\'s admin adds providers.';
}

function AnswerFigures({ stats }: { stats: AnswerStats }) {
  const tokens = (value: number | undefined) => (value === undefined ? 'not reported' : formatNumber(value));
  const milliseconds = (value: number | undefined) => (value === undefined ? 'no text' : `${formatNumber(Math.round(value))} ms`);
  return (
    <dl class="figures">
      <div>
        <dt>Provider</dt>
        <dd>{stats.provider ?? 'not reported'}</dd>
      </div>
      <div>
        <dt>Prompt tokens</dt>
        <dd>{tokens(stats.promptTokens)}</dd>
      </div>
      <div>
        <dt>Completion tokens</dt>
        <dd>{tokens(stats.completionTokens)}</dd>
      </div>
      <div>
        <dt>Time to first token</dt>
        <dd>{milliseconds(stats.firstTokenMs)}</dd>
      </div>
      <div>
        <dt>Total time</dt>
        <dd>{milliseconds(stats.totalMs)}</dd>
      </div>
    </dl>
  );
}
