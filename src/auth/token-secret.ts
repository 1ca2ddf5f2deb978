import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'tcs_';

/** A new bearer secret: 32 random bytes; high entropy, so a plain SHA-256 is a sound stored form. */
export function generateTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** What is shown in listings so people can tell tokens apart without revealing them. */
export function tokenPrefix(secret: string): string {
  return secret.slice(0, TOKEN_PREFIX.length + 6);
}
