import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/api-error.ts';
import { convertToAnthropicRequest, DEFAULT_ANTHROPIC_MAX_TOKENS } from './convert-to-anthropic-request.ts';

const upstreamModel = 'claude-sonnet-4-5-20250929';

function convert(body: Record<string, unknown>): Record<string, unknown> {
  return convertToAnthropicRequest(body, upstreamModel);
}

function catchValidationError(body: Record<string, unknown>): ValidationError {
  try {
    convert(body);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a given location',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

describe('convertToAnthropicRequest', () => {
  it('builds a minimal request with the upstream model and the default max_tokens', () => {
    expect(convert({ model: 'my-alias', provider_id: 'p1', messages: [{ role: 'user', content: 'Hello' }] })).toEqual({
      model: upstreamModel,
      max_tokens: DEFAULT_ANTHROPIC_MAX_TOKENS,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    });
    expect(DEFAULT_ANTHROPIC_MAX_TOKENS).toBe(4096);
  });

  it('joins system and developer messages, string or text parts, into system', () => {
    const request = convert({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }, { type: 'text', text: 'Never apologise.' }] },
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Late instruction.' },
      ],
    });
    expect(request.system).toBe('You are terse.\n\nAnswer in French.\nNever apologise.\n\nLate instruction.');
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('omits system when there is no system text', () => {
    expect(convert({ messages: [{ role: 'system', content: '' }, { role: 'user', content: 'Hi' }] })).not.toHaveProperty('system');
  });

  it('converts a base64 data URL image into a base64 image source', () => {
    const request = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==', detail: 'high' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this image?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } },
        ],
      },
    ]);
  });

  it('passes an https image URL as a URL source, without fetching it', () => {
    const request = convert({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } }] }],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } }] },
    ]);
  });

  it('rejects image types and URL schemes Anthropic cannot take, naming the field', () => {
    expect(
      catchValidationError({
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'data:image/tiff;base64,AAAA' } }] }],
      }).details,
    ).toEqual({ field: 'messages[0].content[1].image_url.url' });
    expect(
      catchValidationError({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }] }] }).details,
    ).toEqual({ field: 'messages[0].content[0].image_url.url' });
  });

  it('converts an inline PDF file part into a document block and rejects audio', () => {
    const request = convert({
      messages: [
        { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0x', filename: 'report.pdf' } }] },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' }, title: 'report.pdf' }],
      },
    ]);
    expect(
      catchValidationError({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AA', format: 'wav' } }] }] })
        .details,
    ).toEqual({ field: 'messages[0].content[0].type' });
  });

  it('converts function tools, filling a missing parameters schema', () => {
    const request = convert({
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool, { type: 'function', function: { name: 'get_time' } }],
    });
    expect(request.tools).toEqual([
      {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
      },
      { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    ]);
    expect(request).not.toHaveProperty('tool_choice');
  });

  it.each([
    ['auto', undefined, { type: 'auto' }],
    ['required', undefined, { type: 'any' }],
    ['none', undefined, { type: 'none' }],
    [{ type: 'function', function: { name: 'get_weather' } }, undefined, { type: 'tool', name: 'get_weather' }],
    ['auto', false, { type: 'auto', disable_parallel_tool_use: true }],
    ['required', false, { type: 'any', disable_parallel_tool_use: true }],
    [{ type: 'function', function: { name: 'get_weather' } }, false, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true }],
    ['none', false, { type: 'none' }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    ['auto', true, { type: 'auto' }],
  ])('maps tool_choice %j with parallel_tool_calls %j', (toolChoice, parallelToolCalls, expected) => {
    const request = convert({
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [weatherTool],
      tool_choice: toolChoice,
      parallel_tool_calls: parallelToolCalls,
    });
    expect(request.tool_choice).toEqual(expected);
  });

  it('drops tool_choice when there are no tools, and rejects non-function tools', () => {
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], tool_choice: 'none' })).not.toHaveProperty('tool_choice');
    expect(
      catchValidationError({ messages: [{ role: 'user', content: 'Hi' }], tools: [{ type: 'custom', custom: { name: 'grammar' } }] }).details,
    ).toMatchObject({ field: 'tools[0].type' });
  });

  it('turns assistant tool_calls into tool_use blocks and merges consecutive tool results into one user turn', () => {
    const request = convert({
      messages: [
        { role: 'user', content: 'Weather and time in Paris?' },
        {
          role: 'assistant',
          content: 'Let me check both.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C, cloudy' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '14:05' }] },
        { role: 'assistant', content: 'It is 18°C and 14:05.' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather and time in Paris?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me check both.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { location: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C, cloudy' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '14:05' }] },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'It is 18°C and 14:05.' }] },
    ]);
  });

  it('leaves out the empty text of an assistant message that only calls tools', () => {
    const request = convert({
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'get_weather', input: {} }] },
    ]);
  });

  it('merges consecutive same-role turns so that roles alternate', () => {
    const request = convert({
      messages: [
        { role: 'user', content: 'First.' },
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Second.' }] },
        { role: 'assistant', content: 'One.' },
        { role: 'assistant', content: [{ type: 'text', text: 'Two.' }, { type: 'refusal', refusal: 'Not that.' }] },
        { role: 'tool', tool_call_id: 'call_9', content: 'done' },
        { role: 'user', content: 'Thanks.' },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'First.' },
          { type: 'text', text: 'Second.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'One.' },
          { type: 'text', text: 'Two.' },
          { type: 'text', text: 'Not that.' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_9', content: 'done' },
          { type: 'text', text: 'Thanks.' },
        ],
      },
    ]);
  });

  it('rejects tool call arguments that are not a JSON object, naming the field', () => {
    const error = catchValidationError({
      messages: [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"location": "Par' } },
          ],
        },
      ],
    });
    expect(error.details).toEqual({ field: 'messages[1].tool_calls[1].function.arguments' });
    expect(
      catchValidationError({
        messages: [{ role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] }],
      }).details,
    ).toEqual({ field: 'messages[0].tool_calls[0].function.arguments' });
  });

  it('maps stop to stop_sequences, from a string or an array', () => {
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], stop: 'END' }).stop_sequences).toEqual(['END']);
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], stop: ['END', '###'] }).stop_sequences).toEqual(['END', '###']);
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], stop: null })).not.toHaveProperty('stop_sequences');
  });

  it('takes max_completion_tokens, then max_tokens, then the default', () => {
    const messages = [{ role: 'user', content: 'Hi' }];
    expect(convert({ messages, max_completion_tokens: 100, max_tokens: 200 }).max_tokens).toBe(100);
    expect(convert({ messages, max_tokens: 200 }).max_tokens).toBe(200);
    expect(convert({ messages, max_tokens: null }).max_tokens).toBe(4096);
    expect(catchValidationError({ messages, max_tokens: 0 }).details).toMatchObject({ field: 'max_tokens' });
  });

  it('copies temperature, top_p and stream, maps user to metadata.user_id and drops OpenAI-only fields', () => {
    const request = convert({
      model: 'alias',
      provider_id: 'p1',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.2,
      top_p: 0.9,
      stream: true,
      stream_options: { include_usage: true },
      user: 'user-42',
      seed: 7,
      logprobs: true,
      frequency_penalty: 0.5,
      response_format: { type: 'text' },
      n: 1,
    });
    expect(request).toEqual({
      model: upstreamModel,
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      temperature: 0.2,
      top_p: 0.9,
      stream: true,
      metadata: { user_id: 'user-42' },
    });
  });

  it('rejects what Anthropic cannot express: temperature above 1, several choices', () => {
    const messages = [{ role: 'user', content: 'Hi' }];
    expect(catchValidationError({ messages, temperature: 1.5 }).details).toMatchObject({ field: 'temperature' });
    expect(catchValidationError({ messages, n: 2 }).details).toEqual({ field: 'n' });
  });

  it('reports schema errors with the field path in the client body', () => {
    const error = catchValidationError({ messages: [{ role: 'user', content: 'Hi' }, { role: 'user', content: 42 }] });
    expect(error.details).toMatchObject({ field: 'messages[1].content' });
    expect(catchValidationError({ messages: [] }).details).toMatchObject({ field: 'messages' });
    expect(catchValidationError({}).details).toMatchObject({ field: 'messages' });
    // Inside a string-or-array union, the error points at the part that failed, not at the union.
    expect(
      catchValidationError({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'video', url: 'x' }] }] }).details,
    ).toMatchObject({ field: 'messages[0].content[1].type' });
  });
});
