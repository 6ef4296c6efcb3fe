import { InvalidQuery } from '../errors';
import type { HttpMethod, RouteSpec } from './route-table';

export type RouteMatch<R extends RouteSpec> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'method_not_allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not_found' };

interface Compiled<R> {
  readonly route: R;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Matches request paths against a route table's OpenAPI-style templates. */
export class Router<R extends RouteSpec> {
  readonly #routes: readonly Compiled<R>[];

  constructor(routes: readonly R[]) {
    this.#routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment);
          if (param === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]);
          return '([^/]+)';
        })
        .join('/');
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  match(method: string, path: string): RouteMatch<R> {
    const allowed: HttpMethod[] = [];
    for (const { route, pattern, names } of this.#routes) {
      const found = pattern.exec(path);
      if (found === null) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params = Object.fromEntries(names.map((name, i) => [name, decodeSegment(name, found[i + 1])]));
      return { kind: 'found', route, params };
    }
    return allowed.length > 0 ? { kind: 'method_not_allowed', allowed } : { kind: 'not_found' };
  }
}

function decodeSegment(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new InvalidQuery(name, 'is not valid percent-encoding');
  }
}
