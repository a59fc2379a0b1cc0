import { ApiError } from '../errors/api-error.ts';

/** A stored secret (an API key, custom header values) that PROVIDER_ENCRYPTION_KEY cannot decrypt. */
export class EncryptionKeyMismatchError extends ApiError {
  constructor() {
    super(500, 'ENCRYPTION_KEY_MISMATCH', 'The stored API key cannot be decrypted: PROVIDER_ENCRYPTION_KEY does not match the one it was stored with');
  }
}
