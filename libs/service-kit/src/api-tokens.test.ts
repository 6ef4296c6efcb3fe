import { Metadata } from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';
import { AUTHORIZATION_METADATA_KEY, hashToken } from '@wasmbed/grpc-kit';
import { z } from 'zod';
import { apiTokenAuthenticator, apiTokensSchema } from './api-tokens';
import { parseEnvConfig } from './env-config';

const token = { subject: 'ops', role: 'operator', tokenSha256: hashToken('s3cret') } as const;

function issuesOf(schema: z.ZodType, env: NodeJS.ProcessEnv): readonly string[] {
  try {
    parseEnvConfig(schema, env, 'demo');
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('apiTokensSchema', () => {
  const required = z.object({ TOKENS: apiTokensSchema({ required: true }) });
  const optional = z.object({ TOKENS: apiTokensSchema().prefault('[]') });

  it('parses the JSON list of hashed tokens', () => {
    expect(required.parse({ TOKENS: JSON.stringify([token]) })).toEqual({ TOKENS: [token] });
    expect(optional.parse({})).toEqual({ TOKENS: [] });
  });

  it('when required, wants the variable and at least one token', () => {
    expect(issuesOf(required, {})).toEqual(['TOKENS is required: a JSON array of {subject, role, tokenSha256}']);
    expect(issuesOf(required, { TOKENS: '[]' })).toEqual(['TOKENS must list at least one token']);
    expect(issuesOf(optional, { TOKENS: '[]' })).toEqual([]);
  });

  it('names bad JSON and every bad field', () => {
    expect(issuesOf(optional, { TOKENS: '{' })).toEqual(['TOKENS is not valid JSON']);
    const issues = issuesOf(required, { TOKENS: '[{"subject":"x","role":"root","tokenSha256":"abc"}]' });
    expect(issues.map((i) => i.split(' ')[0])).toEqual(['TOKENS.0.role', 'TOKENS.0.tokenSha256']);
    expect(issues[1]).toContain('must be the lowercase hex SHA-256 of the token');
  });
});

describe('apiTokenAuthenticator', () => {
  it('accepts the configured token with its subject and role, and nothing else', async () => {
    const authenticator = apiTokenAuthenticator([token]);
    const bearer = (value: string) => {
      const metadata = new Metadata();
      metadata.set(AUTHORIZATION_METADATA_KEY, `Bearer ${value}`);
      return metadata;
    };
    expect(await authenticator.authenticate(bearer('s3cret'))).toEqual({ subject: 'ops', role: 'operator' });
    expect(await authenticator.authenticate(bearer('guess'))).toBeUndefined();
  });
});
