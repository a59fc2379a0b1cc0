import { describe, expect, it } from 'vitest';
import { convertToChatMessages } from './convert-to-chat-messages.ts';

describe('convertToChatMessages (Responses input)', () => {
  it('joins parallel function calls into one assistant message after its text, and drops reasoning', () => {
    expect(
      convertToChatMessages(
        [
          { role: 'user', content: 'Weather?' },
          { type: 'reasoning', id: 'rs_1', summary: [] },
          { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
          { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Rome"}' },
          { type: 'function_call_output', call_id: 'call_a', output: 'sunny' },
          { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: 'rain' }] },
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'And?' }, { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' }] },
        ],
        'Be brief.',
      ),
    ).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_b', content: 'rain' },
      { role: 'user', content: [{ type: 'text', text: 'And?' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } }] },
    ]);
  });

  it('refuses an image by file_id and a file, naming the part', () => {
    expect(() => convertToChatMessages([{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }], undefined)).toThrow('Only images given by image_url can be sent to this provider (not by file_id)');
    expect(() => convertToChatMessages([{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }], undefined)).toThrow('Content parts of type "input_file" cannot be sent to this provider');
  });
});
