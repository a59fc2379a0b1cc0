import { createHash } from 'node:crypto';
import type { Sha256Hex } from '../../crypto/sha256-hex.ts';

// On the calling thread: crypto.subtle.digest is a thread-pool job per call on Node.
export const nodeSha256Hex: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
