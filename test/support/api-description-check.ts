import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { oas31 } from 'zod-openapi';

// Holds the gateway's live answers to the API description it serves: the status must be one the
// document lists for the operation, the content type one of its media types, a JSON body valid
// against its schema (ajv, JSON Schema 2020-12: OpenAPI 3.1's dialect), every required header
// present. A stream is held to its status and type only: reading a copy of it would keep the
// upstream call alive after a test cancels the stream.
//
// The behaviour targets pass every answer of the gateway through this, so each behaviour test
// also checks the document against what the server really does, on both runtimes.

const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const DOCUMENT_ID = 'openapi.json';

export type CheckAnswer = (method: string, url: string, response: Response) => Promise<void>;

export function createAnswerCheck(loadDocument: () => Promise<oas31.OpenAPIObject>): CheckAnswer {
  let ready: Promise<{ document: oas31.OpenAPIObject; ajv: Ajv2020; routes: Array<{ pattern: RegExp; template: string }> }> | undefined;
  const validators = new Map<string, ValidateFunction>();

  const prepare = () =>
    (ready ??= loadDocument().then((document) => {
      const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
      addFormats(ajv);
      ajv.addSchema(document, DOCUMENT_ID);
      const routes = Object.keys(document.paths ?? {}).map((template) => ({ template, pattern: templatePattern(template) }));
      return { document, ajv, routes };
    }));

  return async (method, url, response) => {
    const { document, ajv, routes } = await prepare();
    const path = new URL(url).pathname;
    const template = routes.find((route) => route.pattern.test(path))?.template;
    const verb = method.toLowerCase();
    const described = template === undefined ? undefined : (document.paths![template] as Record<string, oas31.OperationObject | undefined>)[verb];
    // An unknown route, a CORS preflight, a HEAD: no operation of the document to hold it to.
    if (template === undefined || described === undefined) return;
    const fail = (problem: string): never => {
      throw new Error(`${method} ${path} (${template}) answered ${response.status}: ${problem}`);
    };

    const responses = described.responses as Record<string, oas31.ResponseObject | oas31.ReferenceObject>;
    const listed = responses[String(response.status)] ?? fail(`the API description lists only ${Object.keys(responses).join(', ')}`);
    const { value: answer, at } = resolve<oas31.ResponseObject>(document, listed, pointer('paths', template, verb, 'responses', String(response.status)));
    for (const [name, header] of Object.entries(answer.headers ?? {})) {
      if (resolve<oas31.HeaderObject>(document, header, '').value.required && !response.headers.has(name)) fail(`the required header ${name} is missing`);
    }

    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const content = answer.content ?? {};
    if (Object.keys(content).length === 0) {
      if ((await response.clone().text()) !== '') fail('the API description says this answer has no body');
      return;
    }
    if (!(mediaType in content)) fail(`Content-Type ${mediaType || '(none)'} is not one of ${Object.keys(content).join(', ')}`);
    if (mediaType !== 'application/json') return;

    const schemaAt = `${at}${pointer('content', mediaType, 'schema')}`;
    let validate = validators.get(schemaAt);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${schemaAt}` });
      validators.set(schemaAt, validate);
    }
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      fail('the body is not JSON');
    }
    if (!validate(body)) fail(`the body does not match the API description: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 2000)}`);
  };
}

/** A fetch that checks every answer from the gateway's origin before handing it on. */
export function checkingFetch(fetchImplementation: typeof fetch, gatewayOrigin: string, check: CheckAnswer): typeof fetch {
  return async (input, init) => {
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = input instanceof Request ? input.url : String(input);
    const response = await fetchImplementation(input, init);
    if (new URL(url).origin === gatewayOrigin) await check(method.toUpperCase(), url, response);
    return response;
  };
}

function templatePattern(template: string): RegExp {
  const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[^/]+')}$`);
}

function pointer(...segments: string[]): string {
  return segments.map((segment) => `/${segment.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** A response or header object, following a `#/components/...` reference; `at` is where it was found. */
function resolve<T>(document: oas31.OpenAPIObject, value: T | oas31.ReferenceObject, at: string): { value: T; at: string } {
  if (typeof value !== 'object' || value === null || !('$ref' in value)) return { value: value as T, at };
  const reference = String(value.$ref);
  if (!reference.startsWith('#/components/')) throw new Error(`unexpected reference ${reference}`);
  const target = reference
    .slice(2)
    .split('/')
    .reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment.replaceAll('~1', '/').replaceAll('~0', '~')], document);
  return resolve<T>(document, target as T, reference.slice(1));
}
