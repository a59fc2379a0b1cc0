import type { RoutingMethod } from '../storage/provider-store.ts';
import { anthropicProtocol } from './anthropic/anthropic-protocol.ts';
import type { ChatProtocol } from './chat-protocol.ts';
import { openAIProtocol } from './openai/openai-protocol.ts';

export const chatProtocols: Record<RoutingMethod, ChatProtocol> = {
  openai: openAIProtocol,
  anthropic: anthropicProtocol,
};
