import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@wasmbed/errors';
import { readBearerToken, type Authenticator } from './authenticator';
import { isRole, type Principal, type Role } from './roles';

/** One accepted token, stored only as the SHA-256 of its UTF-8 bytes. */
export interface StaticToken {
  readonly tokenSha256Hex: string;
  readonly subject: string;
  readonly role: Role;
}

/** SHA-256 of a token as lowercase hex: the value to put in configuration. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Accepts bearer tokens whose SHA-256 is configured. Only hashes are kept in
 * memory, and every configured hash is compared in constant time so response
 * timing reveals nothing about which (if any) entry came close.
 */
export function staticTokenAuthenticator(tokens: readonly StaticToken[]): Authenticator {
  const entries = tokens.map((entry, index) => checkEntry(entry, index));
  const seen = new Set<string>();
  for (const { hash } of entries) {
    const hex = hash.toString('hex');
    if (seen.has(hex)) throw new ConfigError('two static tokens have the same hash', ['tokens: duplicate tokenSha256Hex']);
    seen.add(hex);
  }

  return {
    authenticate(metadata) {
      const token = readBearerToken(metadata);
      if (token === undefined) return undefined;
      const presented = createHash('sha256').update(token, 'utf8').digest();
      let match: Principal | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(presented, entry.hash)) match = entry.principal;
      }
      return match;
    },
  };
}

function checkEntry(entry: StaticToken, index: number): { hash: Buffer; principal: Principal } {
  const at = `tokens[${index}]`;
  if (!/^[0-9a-fA-F]{64}$/.test(entry.tokenSha256Hex)) {
    throw new ConfigError(`${at}.tokenSha256Hex must be 64 hex characters (a SHA-256)`, [`${at}.tokenSha256Hex: not a SHA-256 hex digest`]);
  }
  if (entry.subject.trim() === '') {
    throw new ConfigError(`${at}.subject must not be empty`, [`${at}.subject: empty`]);
  }
  if (!isRole(entry.role)) {
    throw new ConfigError(`${at}.role must be admin, operator or viewer`, [`${at}.role: unknown role`]);
  }
  return { hash: Buffer.from(entry.tokenSha256Hex, 'hex'), principal: { subject: entry.subject, role: entry.role } };
}
