import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors/api-error.ts';
import { convertToChatMessages } from './convert-to-chat-messages.ts';
import { messagesRequestSchema } from './messages-api.ts';

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

  it('keeps a system turn where it stands in the conversation (Claude Code sends one after its first user turn)', () => {
    // Through the route's schema first: it used to refuse the role.
    const request = messagesRequestSchema.parse({
      model: 'openai/gpt-4.1',
      system: 'Be brief.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'What does note.txt say?' }] },
        { role: 'system', content: [{ type: 'text', text: '# Environment' }, { type: 'text', text: 'cwd: /tmp/work', cache_control: { type: 'ephemeral' } }] },
        { role: 'assistant', content: 'Reading it.' },
        { role: 'system', content: 'Tools changed.' },
      ],
    });
    expect(convertToChatMessages(request)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What does note.txt say?' },
      { role: 'system', content: '# Environment\n\ncwd: /tmp/work' },
      { role: 'assistant', content: 'Reading it.' },
      { role: 'system', content: 'Tools changed.' },
    ]);
  });

  it('refuses anything but text in a system turn, naming the block', () => {
    const convert = () => convertToChatMessages({ messages: [{ role: 'system', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] }, { role: 'user', content: 'Hi' }] });
    expect(convert).toThrow('A system turn holds text blocks only, not "image"');
  });

  it('refuses a document block, naming it', () => {
    const convert = () => convertToChatMessages({ messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } }] }] });
    expect(convert).toThrow(ValidationError);
    expect(convert).toThrow('Content blocks of type "document" cannot be sent to an OpenAI-protocol provider');
  });
});
