// An access key's scope in words, providers by name: "providers openai, groq; models openai/gpt-4o*".

export function describeScope(providers: string[] | null, models: string[] | null): string {
  return `${providers === null ? 'all providers' : `providers ${providers.join(', ')}`}; ${models === null ? 'all models' : `models ${models.join(', ')}`}`;
}
