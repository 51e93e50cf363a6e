// A local stand-in of a Shopify store's Admin API for the end-to-end tests, as
// Shopify's documentation describes it (plain http, on 127.0.0.1 only; the product
// accepts plain http only to loopback):
// - POST /admin/oauth/access_token: the client-credentials grant (form or JSON body
//   `grant_type=client_credentials&client_id=...&client_secret=...`), answering
//   `{ access_token, scope, expires_in }`; a wrong client refused with HTTP 400
//   `{ error: "invalid_client", error_description }` (the OAuth 2.0 error shape of
//   RFC 6749 §5.2, which Shopify's OAuth endpoint answers with).
// - POST /admin/api/{version}/graphql.json with `X-Shopify-Access-Token` (else 401
//   `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong
//   password)"}`): queries run field by field against the fixture data
//   (shopify-graphql.mjs), with `extensions.cost` (requestedQueryCost,
//   actualQueryCost, throttleStatus) from a leaky bucket, and scope rules: no
//   `read_customers` or `read_orders` is `ACCESS_DENIED` on the field; without
//   `read_all_orders`, orders older than 60 days are left out (not an error).
// Failure modes (`setMode`) make it answer as Shopify does when things go wrong.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { freePort } from './harness.mjs';
import { GraphQlError, connection, execute, schemaWith } from './shopify-graphql.mjs';

export const DEFAULT_SCOPES = 'read_customers,read_orders,read_all_orders';
/** Seconds a granted token lives, as Shopify's client-credentials tokens (24 h). */
export const TOKEN_LIFETIME_SECONDS = 86399;
const DAY_MS = 24 * 60 * 60 * 1000;
const UNAUTHORIZED = '[API] Invalid API key or access token (unrecognized login or wrong password)';
const SCOPES_DOC = 'https://shopify.dev/api/usage/access-scopes';
const MODES = ['normal', 'throttled', 'http429', 'accessDenied', 'slow', 'serverError'];

/** `'slow'` or `{ name: 'slow', ms: 3000, times: 1 }` as one shape, checked. */
function normaliseMode(mode) {
  const m = typeof mode === 'string' ? { name: mode } : { ...mode };
  if (!MODES.includes(m.name)) throw new Error(`unknown stand-in mode ${JSON.stringify(m.name)}; one of ${MODES.join(', ')}`);
  const defaults = {
    throttled: { available: 50 },
    http429: { retryAfter: '2.0', on: 'graphql' },
    accessDenied: { scope: 'read_orders' },
    slow: { ms: 2000, on: 'graphql' },
    serverError: { status: 500, on: 'graphql' },
  }[m.name];
  return { times: Infinity, ...defaults, ...m };
}

/**
 * Starts the stand-in on a free loopback port.
 * - `shop`: `{ name, myshopifyDomain, currencyCode }` (informational; see fixtures).
 * - `customers`, `orders`: fixture records in the shapes the Admin API returns
 *   (fixtures/shopify-demo.mjs); an order belongs to a customer by `customerId`,
 *   one without is a guest checkout.
 * - `accessToken`: a token valid without a grant (an app made in the Shopify admin).
 * - `clientId`, `clientSecret`: what the client-credentials grant accepts.
 * - `scopes`: granted scopes, comma-separated (default all three the product needs).
 * - `pageSize` (default 2): at most this many addresses or orders a page, whatever
 *   `first` asks, so that a demo customer's few orders span pages as a big shop's
 *   do; `Infinity` for Shopify's exact page sizes. Line items are not capped.
 * - `bucket`: `{ maximumAvailable: 2000, restoreRate: 100 }` (points, points/s).
 * - `now`: a function giving the stand-in's clock in ms (default `Date.now`).
 * - `mode`: the failure mode to start in (see `setMode`).
 * - `port`: a fixed port (`cargo xtask dev`); default a free one.
 * Returns `{ origin, shop, clientId, clientSecret, requests, setMode, expireTokens,
 * close }`. `requests` records every request in order: `{ method, path, headers
 * (lower-case names), body, status, mode }`, plus `form` (the grant's parameters)
 * or `operationName` and `variables` (GraphQL).
 *
 * Modes, by name or as `{ name, ...options, times }` (`times`: how many requests
 * it applies to before `normal` returns; default all):
 * - `throttled` `{ available = 50 }`: HTTP 200, `errors[0].extensions.code =
 *   "THROTTLED"`, no `data`, `extensions.cost` with `actualQueryCost: null` and
 *   `currentlyAvailable: available` (the real bucket is not drained).
 * - `http429` `{ retryAfter = '2.0', on = 'graphql' }`: 429 with `Retry-After`.
 * - `accessDenied` `{ scope = 'read_orders' }`: run as if the scope were not
 *   granted: `ACCESS_DENIED` on the field for `read_orders` / `read_customers`;
 *   orders older than 60 days left out for `read_all_orders`.
 * - `slow` `{ ms = 2000, on = 'graphql' }`: the normal answer, `ms` later.
 * - `serverError` `{ status = 500, on = 'graphql' }`: that status with an HTML page.
 * `on` is `graphql`, `token` (the grant) or `both`.
 */
export async function startShopifyStandin(options = {}) {
  const {
    shop = {},
    customers = [],
    orders = [],
    accessToken,
    clientId = 'standin-client-id',
    clientSecret = 'standin-client-secret',
    scopes = DEFAULT_SCOPES,
    pageSize = 2,
    bucket: bucketOptions = {},
    now = Date.now,
  } = options;
  const requests = [];
  const tokens = new Map(accessToken ? [[accessToken, Infinity]] : []);
  const bucket = { maximumAvailable: 2000, restoreRate: 100, ...bucketOptions };
  let available = bucket.maximumAvailable;
  let refilledAt = now();
  let mode = normaliseMode(options.mode ?? 'normal');
  const timers = new Set();

  /** The mode that applies to a request of `kind` (`token` or `graphql`), used up once. */
  const modeFor = (kind) => {
    const on = mode.on ?? 'graphql';
    if (mode.name === 'normal' || !(on === kind || on === 'both')) return { name: 'normal' };
    const applied = mode;
    mode = { ...mode, times: mode.times - 1 };
    if (mode.times <= 0) mode = normaliseMode('normal');
    return applied;
  };

  const granted = (applied) => {
    const set = new Set(scopes.split(',').map((s) => s.trim()).filter(Boolean));
    if (applied.name === 'accessDenied') set.delete(applied.scope);
    return set;
  };

  const schema = schemaWith({
    customerByIdentifier(_, { identifier }, ctx, path) {
      ctx.need('read_customers', 'customerByIdentifier', path);
      const wanted = identifier ?? {};
      const found = customers.find((c) =>
        wanted.emailAddress != null
          ? c.defaultEmailAddress?.emailAddress?.toLowerCase() === String(wanted.emailAddress).trim().toLowerCase()
          : wanted.id != null
            ? c.id === wanted.id
            : wanted.phoneNumber != null && c.defaultPhoneNumber?.phoneNumber === wanted.phoneNumber,
      );
      return found ? { ...found, numberOfOrders: String(orders.filter((o) => o.customerId === found.id).length) } : null;
    },
    orders(_, args, ctx, path) {
      ctx.need('read_orders', 'orders', path);
      return connection(ctx.visibleOrders().filter(searchFilter(args.query)), args, pageSize);
    },
    addresses(customer, args) {
      return connection(customer.addresses ?? [], args, pageSize);
    },
    customerOrders(customer, args, ctx, path) {
      ctx.need('read_orders', 'orders', path);
      return connection(ctx.visibleOrders().filter((o) => o.customerId === customer.id), args, pageSize);
    },
    lineItems(order, args) {
      return connection(order.lineItems ?? [], args);
    },
  });

  const refill = () => {
    const at = now();
    available = Math.min(bucket.maximumAvailable, available + ((at - refilledAt) / 1000) * bucket.restoreRate);
    refilledAt = at;
  };
  const throttleStatus = () => ({
    maximumAvailable: bucket.maximumAvailable,
    currentlyAvailable: Math.floor(available),
    restoreRate: bucket.restoreRate,
  });

  const answerGraphql = (request, applied) => {
    const scopeSet = granted(applied);
    const context = {
      need(scope, field, path) {
        if (!scopeSet.has(scope)) {
          throw new GraphQlError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, { code: 'ACCESS_DENIED', documentation: SCOPES_DOC, requiredAccess: `\`${scope}\` access scope.` }, path);
        }
      },
      visibleOrders() {
        const since = now() - 60 * DAY_MS;
        return orders.filter((o) => scopeSet.has('read_all_orders') || Date.parse(o.createdAt) >= since);
      },
    };
    refill();
    const admit = (requested) => {
      if (requested > 1000) {
        return {
          status: 'invalid',
          errors: [new GraphQlError(`Query cost is ${requested}, which exceeds the single query max cost limit (1000).`, { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: 1000 })],
        };
      }
      // A forced throttle reports `available` points left without draining the
      // bucket, so the request after it (`times`) goes through at once.
      if (applied.name === 'throttled') return { status: 'throttled', requested, available: Math.min(available, applied.available) };
      if (requested > available) return { status: 'throttled', requested, available };
      return undefined;
    };
    const result = execute(schema, request, context, admit);
    if (result.status === 'throttled') {
      return {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: result.requested, actualQueryCost: null, throttleStatus: { ...throttleStatus(), currentlyAvailable: Math.floor(result.available) } } },
      };
    }
    if (result.status === 'invalid') return { errors: result.errors.map((e) => e.toJSON()) };
    available = Math.max(0, available - result.actualQueryCost);
    return {
      data: result.data,
      ...(result.errors.length ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
      extensions: { cost: { requestedQueryCost: result.requestedQueryCost, actualQueryCost: result.actualQueryCost, throttleStatus: throttleStatus() } },
    };
  };

  const answerToken = (record) => {
    const contentType = record.headers['content-type'] ?? '';
    let params = {};
    if (contentType.startsWith('application/json')) {
      try {
        params = JSON.parse(record.body);
      } catch {
        params = {};
      }
    } else params = Object.fromEntries(new URLSearchParams(record.body));
    record.form = params;
    if (params.grant_type !== 'client_credentials') {
      return [400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' }];
    }
    if (!params.client_id || !params.client_secret) {
      return [400, { error: 'invalid_request', error_description: 'The request is missing a required parameter: client_id and client_secret.' }];
    }
    if (params.client_id !== clientId || params.client_secret !== clientSecret) {
      return [400, { error: 'invalid_client', error_description: 'Client authentication failed: unknown client or wrong client secret.' }];
    }
    const token = `shpat_${randomBytes(16).toString('hex')}`;
    tokens.set(token, now() + TOKEN_LIFETIME_SECONDS * 1000);
    return [200, { access_token: token, scope: scopes, expires_in: TOKEN_LIFETIME_SECONDS }];
  };

  const route = (record) => {
    const graphql = /^\/admin\/api\/(\d{4}-(?:01|04|07|10)|unstable)\/graphql\.json$/.exec(record.path);
    if (record.method === 'POST' && record.path === '/admin/oauth/access_token') {
      return { kind: 'token', run: () => answerToken(record) };
    }
    if (record.method === 'POST' && graphql) {
      return {
        kind: 'graphql',
        run: (applied) => {
          const token = record.headers['x-shopify-access-token'];
          const expires = token ? tokens.get(token) : undefined;
          if (expires === undefined || expires <= now()) return [401, { errors: UNAUTHORIZED }];
          let request;
          try {
            request = JSON.parse(record.body);
          } catch {
            return [400, { errors: { query: 'Required parameter missing or invalid' } }];
          }
          record.operationName = request.operationName ?? /^\s*query\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(request.query ?? '')?.[1] ?? null;
          record.variables = request.variables ?? null;
          return [200, answerGraphql(request, applied), { 'x-shopify-api-version': graphql[1] }];
        },
      };
    }
    return { kind: 'other', run: () => [404, { errors: 'Not Found' }] };
  };

  const send = (res, record, [status, body, headers = {}]) => {
    record.status = status;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8';
    res.writeHead(status, { 'content-type': type, ...headers }).end(text);
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const record = { method: req.method, path: url.pathname, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status: null };
      requests.push(record);
      const { kind, run } = route(record);
      const applied = kind === 'other' ? { name: 'normal' } : modeFor(kind);
      record.mode = applied.name;
      if (applied.name === 'slow') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send(res, record, run({ name: 'normal' }));
        }, applied.ms);
        timers.add(timer);
        return;
      }
      if (applied.name === 'http429') {
        const message = 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.';
        send(res, record, [429, { errors: message }, { 'retry-after': String(applied.retryAfter) }]);
        return;
      }
      if (applied.name === 'serverError') {
        const page = `<!DOCTYPE html><html><head><title>${applied.status}</title></head><body><h1>There was a problem loading this website</h1><p>Error ${applied.status}</p></body></html>`;
        send(res, record, [applied.status, page]);
        return;
      }
      send(res, record, run(applied));
    });
  });

  const port = options.port ?? (await freePort());
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

  return {
    origin: `http://127.0.0.1:${port}`,
    shop,
    requests,
    clientId,
    clientSecret,
    /** `'normal'`, or a failure mode by name or as `{ name, ...options, times }`. */
    setMode(next) {
      mode = normaliseMode(next);
    },
    /** Every granted token expires now (a configured `accessToken` stays valid). */
    expireTokens() {
      for (const [token, expires] of tokens) if (expires !== Infinity) tokens.set(token, now());
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The `query` argument of `orders` as far as the product uses it: `email:"..."`
 * (quotes and backslashes escaped) or `email:value`. Shopify's search is a text
 * search, so this matches every order whose e-mail address contains the value (any
 * case), not only the equal ones: the client must compare again.
 */
export function searchFilter(query) {
  if (query == null || query === '') return () => true;
  const match = /^\s*email:(?:"((?:[^"\\]|\\.)*)"|(\S+))\s*$/.exec(query);
  if (!match) throw new GraphQlError(`The stand-in searches orders by email:"..." only, not ${JSON.stringify(query)}`, { code: 'STANDIN_UNSUPPORTED' });
  const term = (match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]).toLowerCase();
  return (order) => (order.email ?? '').toLowerCase().includes(term);
}
