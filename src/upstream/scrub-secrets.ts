// Upstream error messages are shown to clients and written to logs; some providers echo the key
// they were sent ("Incorrect API key provided: sk-proj-..."), or any header of the request. The
// secrets known to have been sent (the key, custom header values) and everything that looks like a
// credential are masked before such a message goes anywhere.

const credentialPatterns: RegExp[] = [
  /\b(?:sk|pk|rk|ak|gsk|xai|hf|api|key)[-_][A-Za-z0-9._\-*]{6,}/gi,
  /\bBearer\s+[^\s"',}]+/gi,
  /\b(?:api[-_]?key|x-api-key|token|secret|password)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
  // Long opaque runs: hex or base64-ish tokens of 32+ characters.
  /[A-Za-z0-9_\-+/=.]{32,}/g,
];

export function scrubSecrets(text: string, knownSecrets: string | readonly string[] = []): string {
  let scrubbed = text;
  // Longest first, so a secret that contains another is masked whole.
  const known = (typeof knownSecrets === 'string' ? [knownSecrets] : [...knownSecrets]).sort((a, b) => b.length - a.length);
  for (const secret of known) if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('[REDACTED]');
  for (const pattern of credentialPatterns) {
    scrubbed = scrubbed.replace(pattern, (match, separator?: string) =>
      typeof separator === 'string' ? `${match.slice(0, match.indexOf(separator) + separator.length)}[REDACTED]` : '[REDACTED]',
    );
  }
  return scrubbed.length > 1000 ? `${scrubbed.slice(0, 1000)}…` : scrubbed;
}
