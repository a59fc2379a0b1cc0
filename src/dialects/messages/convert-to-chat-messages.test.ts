import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/api-error.ts';
import { convertToChatMessages } from './convert-to-chat-messages.ts';

describe('convertToChatMessages', () => {
  it('puts tool results first as tool messages, their images after them in the user message', () => {
    expect(
      convertToChatMessages({
        messages: [
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 's' }, { type: 'text', text: 'Looking.' }, { type: 'tool_use', id: 'toolu_call_1', name: 'screenshot', input: {} }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Here:' },
              { type: 'tool_result', tool_use_id: 'toolu_call_1', content: [{ type: 'text', text: 'taken' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA=' } }] },
            ],
          },
        ],
      }),
    ).toEqual([
      { role: 'assistant', content: 'Looking.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: 'taken' },
      { role: 'user', content: [{ type: 'text', text: 'Here:' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAA=' } }] },
    ]);
  });

  it('keeps a toolu_ id that did not come from a translation consistent on both sides', () => {
    const messages = convertToChatMessages({
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01ABC', name: 'f', input: { a: 1 } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01ABC', content: 'ok', is_error: true }] },
      ],
    });
    expect(messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: '01ABC', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
      { role: 'tool', tool_call_id: '01ABC', content: 'Error: ok' },
    ]);
  });

  it('makes a system turn inside messages a system message, where it stands', () => {
    expect(convertToChatMessages({ system: 'Top', messages: [{ role: 'user', content: 'Hi' }, { role: 'system', content: [{ type: 'text', text: '# Environment' }, { type: 'text', text: 'linux' }] }] })).toEqual([
      { role: 'system', content: 'Top' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: '# Environment\n\nlinux' },
    ]);
  });

  it('refuses a document block, naming it', () => {
    const convert = () => convertToChatMessages({ messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }] }] });
    expect(convert).toThrow(ValidationError);
    expect(convert).toThrow('Content blocks of type "document" cannot be sent to an OpenAI-protocol provider');
  });
});
