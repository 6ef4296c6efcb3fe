import { readFileSync } from 'node:fs';
import { declaredOperations } from '../test-support/openapi-operations';
import { OPENAPI_PATH } from './http-server';
import { HTTP_ROUTES } from './route-table';

describe('openapi.yaml', () => {
  const yaml = readFileSync(OPENAPI_PATH, 'utf8');
  const declared = declaredOperations(yaml);
  const key = (op: { method: string; path: string }) => `${op.method} ${op.path}`;

  it('is OpenAPI 3.1 with a bearer security scheme', () => {
    expect(yaml).toMatch(/^openapi: 3\.1\.\d+$/m);
    expect(yaml).toMatch(/^ {4}bearerAuth:\n {6}type: http\n {6}scheme: bearer$/m);
  });

  it('describes every route the server dispatches, and no other', () => {
    expect(declared.map(key).sort()).toEqual(HTTP_ROUTES.map(key).sort());
  });

  it.each(HTTP_ROUTES.map((route) => [key(route), route] as const))('%s: same role and operationId as the route table', (_key, route) => {
    const op = declared.find((d) => key(d) === key(route));
    expect(op).toEqual({ method: route.method, path: route.path, operationId: route.handler, auth: route.auth });
  });
});
