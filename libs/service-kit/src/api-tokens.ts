import { staticTokenAuthenticator, type Authenticator } from '@wasmbed/grpc-kit';
import { z } from 'zod';

/** One bearer token a service accepts: only its hash is configured, never the token. */
export interface ApiToken {
  readonly subject: string;
  readonly role: 'admin' | 'operator' | 'viewer';
  readonly tokenSha256: string;
}

const tokenEntry = z.object({
  subject: z.string().min(1),
  role: z.enum(['admin', 'operator', 'viewer']),
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the token'),
});

/**
 * Text holding a JSON array of {subject, role, tokenSha256}. `required`: the
 * variable must be set and list at least one token (a service with no other way in);
 * otherwise an empty list is fine.
 */
export function apiTokensSchema(options: { readonly required?: boolean } = {}) {
  const list = z.array(tokenEntry);
  return z
    .string(options.required ? { error: 'is required: a JSON array of {subject, role, tokenSha256}' } : undefined)
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(options.required ? list.min(1, 'must list at least one token') : list);
}

/** grpc-kit's authenticator for the configured tokens, shared by gRPC and HTTP. */
export function apiTokenAuthenticator(tokens: readonly ApiToken[]): Authenticator {
  return staticTokenAuthenticator(tokens.map((t) => ({ tokenSha256Hex: t.tokenSha256, subject: t.subject, role: t.role })));
}
