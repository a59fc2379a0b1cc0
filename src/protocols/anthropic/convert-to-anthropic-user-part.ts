import { ValidationError } from '../../errors/api-error.ts';
import type { AnthropicContentBlockParam } from './anthropic-api.ts';
import type { OpenAIUserPart } from './openai-chat-api.ts';

/**
 * The image types Anthropic accepts; anything else would only fail upstream, later and less clearly.
 * https://docs.anthropic.com/en/docs/build-with-claude/vision#image-size-and-format
 */
const supportedImageMediaTypes: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

// Anchored, so only the header is scanned, never the (possibly megabytes of) base64 payload.
const base64DataUrlHeader = /^data:([\w.+-]+\/[\w.+-]+);base64,/i;

/**
 * One part of an OpenAI user message → one Anthropic content block, or `undefined` for a part
 * that carries nothing (empty text, which Anthropic rejects). `field` names the part in the
 * client's request for error details, like `messages[2].content[1]`.
 *
 * OpenAI parts: https://platform.openai.com/docs/api-reference/chat/create#chat-create-messages
 */
export function convertToAnthropicUserPart(part: OpenAIUserPart, field: string): AnthropicContentBlockParam | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { type: 'text', text: part.text };

    case 'image_url': {
      const url = part.image_url.url;
      const header = base64DataUrlHeader.exec(url);
      if (header !== null) {
        const mediaType = (header[1] ?? '').toLowerCase();
        if (!supportedImageMediaTypes.has(mediaType)) {
          throw new ValidationError(`Anthropic accepts JPEG, PNG, GIF and WebP images, not ${mediaType}`, {
            field: `${field}.image_url.url`,
          });
        }
        return { type: 'image', source: { type: 'base64', media_type: mediaType, data: url.slice(header[0].length) } };
      }
      // Anthropic fetches URL images itself; the gateway never does.
      // https://docs.anthropic.com/en/docs/build-with-claude/vision#url-based-image-example
      if (url.startsWith('https://') || url.startsWith('http://')) {
        return { type: 'image', source: { type: 'url', url } };
      }
      throw new ValidationError('An image_url must be an http(s) URL or a base64 data URL', {
        field: `${field}.image_url.url`,
      });
    }

    case 'file': {
      // Only inline PDFs have an Anthropic equivalent (a document block); an OpenAI file_id
      // points into OpenAI's storage, which Anthropic cannot read.
      const header = base64DataUrlHeader.exec(part.file.file_data ?? '');
      if (header === null || (header[1] ?? '').toLowerCase() !== 'application/pdf') {
        throw new ValidationError('Only PDF files sent inline as a base64 data URL in file_data can be passed to Anthropic', {
          field: `${field}.file`,
        });
      }
      const data = (part.file.file_data ?? '').slice(header[0].length);
      const filename = part.file.filename;
      return filename === undefined || filename === null || filename === ''
        ? { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } }
        : { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data }, title: filename };
    }

    case 'input_audio':
      throw new ValidationError('Anthropic models do not accept audio input', { field: `${field}.type` });

    default: {
      const unreachable: never = part;
      throw new ValidationError(`Unsupported content part ${JSON.stringify(unreachable)}`, { field });
    }
  }
}
