import type { ProviderInput } from 'llm-gateway/client';

// Stand-in until llm-gateway-client/presets is merged: the same shape, no data.

export interface ProviderPreset {
  id: string;
  label: string;
  baseUrl: string;
  routingMethod: ProviderInput['routingMethod'];
  apiKey: 'required' | 'optional' | 'none';
  headers: Record<string, string>;
  local: boolean;
  note?: string;
  docs: string;
}

export const providerPresets: readonly ProviderPreset[] = [];
