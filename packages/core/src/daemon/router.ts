// SPDX-License-Identifier: Apache-2.0
import type { Route, RouteHandler } from './route.js';

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
}

/** Matches a method and an unversioned path to a route. */
export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const param = /^:(\w+)(\*?)$/.exec(segment);
          if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]);
          return param[2] ? '(.+)' : '([^/]+)';
        })
        .join('/');
      return { method: route.method, pattern: new RegExp(`^${source}$`), names, handler: route.handler };
    });
  }

  /** The matching route, `'method-not-allowed'` when only the method differs, or undefined. */
  match(method: string, path: string): RouteMatch | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { handler: route.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}
