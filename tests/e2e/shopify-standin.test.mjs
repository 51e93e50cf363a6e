// The Shopify stand-in answers as Shopify's documentation describes: the
// client-credentials grant, 401 without a valid token, the product's own query
// documents (read from answer/src/shopify/customer.rs, so a change there that the
// stand-in cannot answer fails here) with their exact variables, paging with
// cursors, the 60-day rule without read_all_orders, and each failure mode's shape.
// Also the Dutch demo's order export (fixtures/jouwweb-orders.csv) against the
// e-mail headers answer::orders_csv recognises. No Worker, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './harness.mjs';
import { startShopifyStandin, DEFAULT_SCOPES, TOKEN_LIFETIME_SECONDS } from './shopify-standin.mjs';
import { shopifyDemo, CUSTOMER_EMAIL, SECOND_CUSTOMER_EMAIL, GUEST_EMAIL, NEAR_MISS_GUEST_EMAIL, UNKNOWN_EMAIL } from './fixtures/shopify-demo.mjs';

const TOKEN = 'shpat_standin_test_token';
const VERSION = '2026-10';

/** A Rust string literal's text: `\` + newline + indentation dropped, escapes read. */
function rustString(body) {
  return body.replace(/\\\r?\n\s*/g, '').replace(/\\(["\\nt])/g, (_, c) => ({ n: '\n', t: '\t' })[c] ?? c);
}

/** The query documents `answer::shopify` sends, exactly as its source builds them. */
function productQueries() {
  const source = readFileSync(path.join(ROOT, 'answer', 'src', 'shopify', 'customer.rs'), 'utf8');
  const literal = /"((?:[^"\\]|\\[\s\S])*)"/g;
  const fragments = rustString(/macro_rules!\s*fragments\s*\{\s*\(\)\s*=>\s*\{\s*"((?:[^"\\]|\\[\s\S])*)"/.exec(source)[1]);
  const queries = {};
  for (const [, name, value] of source.matchAll(/pub const (\w+_QUERY): &str = ([\s\S]*?);\n/g)) {
    const parts = [];
    for (const piece of value.matchAll(/fragments!\(\)|"((?:[^"\\]|\\[\s\S])*)"/g)) {
      parts.push(piece[0] === 'fragments!()' ? fragments : rustString(piece[1]));
    }
    assert.ok(parts.length > 0 && literal.test(value), `${name} has a string`);
    literal.lastIndex = 0;
    queries[name] = parts.join('');
  }
  for (const name of ['EXISTS_QUERY', 'CUSTOMER_QUERY', 'GUEST_ORDERS_QUERY']) assert.ok(queries[name], `${name} found in customer.rs`);
  return queries;
}
const QUERIES = productQueries();

/** `answer::shopify::guest::search_term`. */
const searchTerm = (email) => `email:"${email.trim().replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** `customer::Pages::variables` for a state. */
const pageVariables = (email, state = {}) => ({
  email,
  addressesAfter: state.addressesAfter ?? null,
  ordersAfter: state.ordersAfter ?? null,
  withAddresses: !state.addressesDone,
  withOrders: !state.ordersDone,
});

async function withStandin(options, run) {
  const standin = await startShopifyStandin({ ...shopifyDemo(), accessToken: TOKEN, ...options });
  try {
    await run(standin);
  } finally {
    await standin.close();
  }
}

/** A GraphQL POST with the headers the product sends; `token: null` sends none. */
async function graphql(standin, body, { token = TOKEN, signal } = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers['X-Shopify-Access-Token'] = token;
  const response = await fetch(`${standin.origin}/admin/api/${VERSION}/graphql.json`, { method: 'POST', headers, body: JSON.stringify(body), signal });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const customerQuery = (standin, email, state) => graphql(standin, { query: QUERIES.CUSTOMER_QUERY, variables: pageVariables(email, state) });

async function grant(standin, form, type = 'application/x-www-form-urlencoded') {
  const body = type.startsWith('application/json') ? JSON.stringify(form) : new URLSearchParams(form).toString();
  const response = await fetch(`${standin.origin}/admin/oauth/access_token`, { method: 'POST', headers: { 'Content-Type': type, Accept: 'application/json' }, body });
  return { status: response.status, json: await response.json() };
}

test('the stand-in is plain http on 127.0.0.1 only, and unknown paths are 404', async () => {
  await withStandin({}, async (standin) => {
    assert.match(standin.origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${standin.origin}/admin/api/${VERSION}/customers.json`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { errors: 'Not Found' });
  });
});

test('client-credentials grant: a token with its scopes and lifetime, which opens the GraphQL API', async () => {
  await withStandin({ accessToken: undefined }, async (standin) => {
    const { status, json } = await grant(standin, { grant_type: 'client_credentials', client_id: standin.clientId, client_secret: standin.clientSecret });
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(json).sort(), ['access_token', 'expires_in', 'scope']);
    assert.match(json.access_token, /^shpat_[0-9a-f]{32}$/);
    assert.equal(json.scope, DEFAULT_SCOPES);
    assert.equal(json.expires_in, TOKEN_LIFETIME_SECONDS);
    const recorded = standin.requests.at(-1);
    assert.equal(recorded.path, '/admin/oauth/access_token');
    assert.deepEqual(recorded.form, { grant_type: 'client_credentials', client_id: standin.clientId, client_secret: standin.clientSecret });

    const answer = await graphql(standin, { query: QUERIES.EXISTS_QUERY, variables: { email: CUSTOMER_EMAIL } }, { token: json.access_token });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json.data, { customerByIdentifier: { id: 'gid://shopify/Customer/7240019148837' } });
    assert.equal(standin.requests.at(-1).headers['x-shopify-access-token'], json.access_token);

    const asJson = await grant(standin, { grant_type: 'client_credentials', client_id: standin.clientId, client_secret: standin.clientSecret }, 'application/json');
    assert.equal(asJson.status, 200, 'a JSON body is accepted too, as Shopify libraries send it');
    assert.notEqual(asJson.json.access_token, json.access_token);
  });
});

test('grant refused: wrong secret, unknown client, missing secret, other grant type', async () => {
  await withStandin({}, async (standin) => {
    const cases = [
      [{ grant_type: 'client_credentials', client_id: standin.clientId, client_secret: 'wrong' }, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: 'someone-else', client_secret: standin.clientSecret }, 'invalid_client'],
      [{ grant_type: 'client_credentials', client_id: standin.clientId }, 'invalid_request'],
      [{ grant_type: 'authorization_code', client_id: standin.clientId, client_secret: standin.clientSecret }, 'unsupported_grant_type'],
    ];
    for (const [form, error] of cases) {
      const { status, json } = await grant(standin, form);
      assert.equal(status, 400, JSON.stringify(form));
      assert.equal(json.error, error);
      assert.equal(typeof json.error_description, 'string');
      assert.equal(json.access_token, undefined);
    }
  });
});

test('401 without a token, with a wrong one, and with an expired granted one', async () => {
  await withStandin({}, async (standin) => {
    const body = { query: QUERIES.EXISTS_QUERY, variables: { email: CUSTOMER_EMAIL } };
    const expected = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };
    for (const token of [null, 'shpat_wrong']) {
      const answer = await graphql(standin, body, { token });
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.json, expected);
    }
    const { json } = await grant(standin, { grant_type: 'client_credentials', client_id: standin.clientId, client_secret: standin.clientSecret });
    assert.equal((await graphql(standin, body, { token: json.access_token })).status, 200);
    standin.expireTokens();
    const expired = await graphql(standin, body, { token: json.access_token });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.json, expected);
    assert.equal((await graphql(standin, body)).status, 200, 'a configured access token does not expire');
  });
});

test("the product's customer query: profile, both addresses, the first page of orders, and the cost", async () => {
  await withStandin({}, async (standin) => {
    const { status, json, headers } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.equal(status, 200);
    assert.equal(headers.get('x-shopify-api-version'), VERSION);
    assert.equal(json.errors, undefined);
    const customer = json.data.customerByIdentifier;
    assert.deepEqual(
      { ...customer, addressesV2: undefined, orders: undefined },
      {
        id: 'gid://shopify/Customer/7240019148837',
        firstName: 'Olivia',
        lastName: 'Byrne',
        createdAt: customer.createdAt,
        locale: 'en',
        note: 'Prefers delivery after 5 pm.',
        tags: ['newsletter', 'repeat-customer'],
        defaultEmailAddress: { emailAddress: CUSTOMER_EMAIL, marketingState: 'SUBSCRIBED' },
        defaultPhoneNumber: { phoneNumber: '+353861234567', marketingState: 'NOT_SUBSCRIBED' },
        addressesV2: undefined,
        orders: undefined,
      },
    );
    assert.match(customer.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.deepEqual(
      customer.addressesV2.nodes.map((a) => [a.city, a.countryCodeV2]),
      [
        ['Dublin', 'IE'],
        ['Amsterdam', 'NL'],
      ],
    );
    assert.deepEqual(Object.keys(customer.addressesV2.nodes[1]), ['firstName', 'lastName', 'company', 'address1', 'address2', 'zip', 'city', 'province', 'countryCodeV2', 'phone']);
    assert.equal(customer.addressesV2.pageInfo.hasNextPage, false);
    assert.deepEqual(
      customer.orders.nodes.map((o) => o.name),
      ['#1008', '#1013'],
    );
    assert.equal(customer.orders.pageInfo.hasNextPage, true);
    assert.equal(typeof customer.orders.pageInfo.endCursor, 'string');
    const order = customer.orders.nodes[1];
    assert.deepEqual(order.totalPriceSet, { shopMoney: { amount: '64.85', currencyCode: 'EUR' } });
    assert.deepEqual(order.lineItems, {
      nodes: [
        { title: 'Soundbar bracket', quantity: 1 },
        { title: 'HDMI 2.1 cable 2 m', quantity: 2 },
      ],
    });
    assert.equal(order.shippingAddress.company, 'Byrne Design Studio');
    assert.equal(order.displayFinancialStatus, 'PARTIALLY_REFUNDED');
    // Shopify's static cost: customer 1 + e-mail 1 + phone 1 + addresses (2 + 25 × 1)
    // + orders (2 + 10 × (order 1 + price 2 + two addresses 2 + line items 2 + 25)).
    const cost = json.extensions.cost;
    assert.equal(cost.requestedQueryCost, 352);
    assert.ok(cost.actualQueryCost > 0 && cost.actualQueryCost < cost.requestedQueryCost, JSON.stringify(cost));
    assert.deepEqual(cost.throttleStatus, { maximumAvailable: 2000, currentlyAvailable: 2000 - cost.actualQueryCost, restoreRate: 100 });
    assert.equal(standin.requests.at(-1).operationName, 'PrivacyDeskCustomer');
  });
});

test('paging through all orders with cursors as the client does: a finished connection is skipped', async () => {
  await withStandin({}, async (standin) => {
    const state = {};
    const names = [];
    const answers = [];
    for (let page = 0; page < 5 && !(state.addressesDone && state.ordersDone); page += 1) {
      const { json } = await customerQuery(standin, CUSTOMER_EMAIL, state);
      answers.push(json);
      const customer = json.data.customerByIdentifier;
      if (!state.addressesDone) {
        state.addressesDone = !customer.addressesV2.pageInfo.hasNextPage;
        state.addressesAfter = customer.addressesV2.pageInfo.endCursor;
      } else assert.equal('addressesV2' in customer, false, 'a skipped connection is not in the answer');
      names.push(...customer.orders.nodes.map((o) => o.name));
      state.ordersDone = !customer.orders.pageInfo.hasNextPage;
      state.ordersAfter = customer.orders.pageInfo.endCursor;
    }
    assert.deepEqual(names, ['#1008', '#1013', '#1019']);
    assert.equal(answers.length, 2);
    const second = standin.requests.at(-1).variables;
    assert.equal(second.withAddresses, false);
    assert.equal(second.ordersAfter, answers[0].data.customerByIdentifier.orders.pageInfo.endCursor);
    assert.equal(answers[1].extensions.cost.requestedQueryCost, 352 - 27, 'the skipped addresses are not charged');
  });
});

test('an unknown address has no customer (null, not an error); a known one has', async () => {
  await withStandin({}, async (standin) => {
    for (const query of [QUERIES.EXISTS_QUERY, QUERIES.CUSTOMER_QUERY]) {
      const variables = query === QUERIES.EXISTS_QUERY ? { email: UNKNOWN_EMAIL } : pageVariables(GUEST_EMAIL);
      const { status, json } = await graphql(standin, { query, variables });
      assert.equal(status, 200);
      assert.deepEqual(json.data, { customerByIdentifier: null });
      assert.equal(json.errors, undefined);
    }
    const second = await customerQuery(standin, SECOND_CUSTOMER_EMAIL);
    const liam = second.json.data.customerByIdentifier;
    assert.equal(liam.defaultPhoneNumber, null);
    assert.deepEqual(liam.orders.nodes.map((o) => o.name), ['#1015']);
    assert.equal(liam.orders.nodes[0].billingAddress, null);
  });
});

test("guest orders by the product's search term: a text search, so near misses come back too", async () => {
  await withStandin({}, async (standin) => {
    const { json } = await graphql(standin, { query: QUERIES.GUEST_ORDERS_QUERY, variables: { query: searchTerm(GUEST_EMAIL), after: null } });
    assert.equal(json.errors, undefined);
    assert.deepEqual(
      json.data.orders.nodes.map((o) => [o.name, o.email]),
      [
        ['#1017', NEAR_MISS_GUEST_EMAIL],
        ['#1018', GUEST_EMAIL],
      ],
    );
    assert.equal(json.data.orders.pageInfo.hasNextPage, false);
    const customerOrders = await graphql(standin, { query: QUERIES.GUEST_ORDERS_QUERY, variables: { query: searchTerm(CUSTOMER_EMAIL), after: null } });
    assert.deepEqual(customerOrders.json.data.orders.nodes.map((o) => o.name), ['#1008', '#1013']);
    const next = await graphql(standin, { query: QUERIES.GUEST_ORDERS_QUERY, variables: { query: searchTerm(CUSTOMER_EMAIL), after: customerOrders.json.data.orders.pageInfo.endCursor } });
    assert.deepEqual(next.json.data.orders.nodes.map((o) => o.name), ['#1019']);
    const quoted = await graphql(standin, { query: QUERIES.GUEST_ORDERS_QUERY, variables: { query: searchTerm('a"b\\c@example.com'), after: null } });
    assert.deepEqual(quoted.json.data.orders.nodes, [], 'an escaped term is read, not refused');
  });
});

test('without read_all_orders, orders older than 60 days are left out, without an error', async () => {
  const scopes = 'read_customers,read_orders';
  await withStandin({ scopes, accessToken: undefined }, async (standin) => {
    const { json: granted } = await grant(standin, { grant_type: 'client_credentials', client_id: standin.clientId, client_secret: standin.clientSecret });
    assert.equal(granted.scope, scopes);
    const { json } = await graphql(standin, { query: QUERIES.CUSTOMER_QUERY, variables: pageVariables(CUSTOMER_EMAIL) }, { token: granted.access_token });
    assert.equal(json.errors, undefined);
    assert.deepEqual(json.data.customerByIdentifier.orders.nodes.map((o) => o.name), ['#1013', '#1019']);
  });
  await withStandin({ mode: { name: 'accessDenied', scope: 'read_all_orders' } }, async (standin) => {
    const { json } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.deepEqual(json.data.customerByIdentifier.orders.nodes.map((o) => o.name), ['#1013', '#1019']);
  });
});

test('accessDenied: ACCESS_DENIED naming the scope, on the field, in the documented shape', async () => {
  await withStandin({ mode: 'accessDenied' }, async (standin) => {
    const { status, json } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.equal(status, 200);
    assert.deepEqual(json.errors, [
      {
        message: 'Access denied for orders field. Required access: `read_orders` access scope.',
        path: ['customerByIdentifier', 'orders'],
        extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: '`read_orders` access scope.' },
      },
    ]);
    assert.deepEqual(json.data, { customerByIdentifier: null }, 'orders is non-null, so its customer is null');
    assert.equal(typeof json.extensions.cost.requestedQueryCost, 'number');
    const guest = await graphql(standin, { query: QUERIES.GUEST_ORDERS_QUERY, variables: { query: searchTerm(GUEST_EMAIL), after: null } });
    assert.equal(guest.json.data, null);
    assert.deepEqual(guest.json.errors[0].path, ['orders']);
    const exists = await graphql(standin, { query: QUERIES.EXISTS_QUERY, variables: { email: CUSTOMER_EMAIL } });
    assert.equal(exists.json.errors, undefined, 'the customer alone needs no read_orders');
  });
  await withStandin({ mode: { name: 'accessDenied', scope: 'read_customers' } }, async (standin) => {
    const { json } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.equal(json.errors[0].message, 'Access denied for customerByIdentifier field. Required access: `read_customers` access scope.');
    assert.deepEqual(json.errors[0].path, ['customerByIdentifier']);
    assert.deepEqual(json.data, { customerByIdentifier: null });
  });
});

test('throttled: HTTP 200, THROTTLED and the cost, no data; `times: 1` lets the retry through', async () => {
  await withStandin({ mode: { name: 'throttled', times: 1 } }, async (standin) => {
    const { status, json } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.equal(status, 200);
    assert.deepEqual(json, {
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: { cost: { requestedQueryCost: 352, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 } } },
    });
    const retry = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.equal(retry.json.errors, undefined);
    assert.equal(retry.json.data.customerByIdentifier.firstName, 'Olivia');
    assert.deepEqual(standin.requests.map((r) => r.mode), ['throttled', 'normal']);
  });
  await withStandin({ bucket: { maximumAvailable: 300, restoreRate: 50 } }, async (standin) => {
    const { json } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.equal(json.errors[0].extensions.code, 'THROTTLED', 'a query costing more than the bucket holds');
    assert.deepEqual(json.extensions.cost.throttleStatus, { maximumAvailable: 300, currentlyAvailable: 300, restoreRate: 50 });
  });
});

test('http429: 429 with Retry-After, on GraphQL or on the token grant', async () => {
  await withStandin({ mode: 'http429' }, async (standin) => {
    const { status, headers, json } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.equal(status, 429);
    assert.equal(headers.get('retry-after'), '2.0');
    assert.match(json.errors, /Reduce request rates/);
  });
  await withStandin({ mode: { name: 'http429', on: 'token', retryAfter: '7' } }, async (standin) => {
    const refused = await fetch(`${standin.origin}/admin/oauth/access_token`, { method: 'POST', body: 'grant_type=client_credentials' });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '7');
    assert.equal((await customerQuery(standin, CUSTOMER_EMAIL)).status, 200, 'GraphQL is not affected');
  });
});

test('slow: the answer comes after the given time; a client that gives up first gets none', async () => {
  await withStandin({ mode: { name: 'slow', ms: 300 } }, async (standin) => {
    const started = Date.now();
    const { status, json } = await customerQuery(standin, CUSTOMER_EMAIL);
    assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
    assert.equal(status, 200);
    assert.equal(json.data.customerByIdentifier.firstName, 'Olivia');
    await assert.rejects(
      graphql(standin, { query: QUERIES.EXISTS_QUERY, variables: { email: CUSTOMER_EMAIL } }, { signal: AbortSignal.timeout(100) }),
      (error) => error.name === 'TimeoutError',
    );
  });
});

test('serverError: 500 or 502 with an HTML page, not JSON', async () => {
  for (const status of [500, 502]) {
    await withStandin({ mode: { name: 'serverError', status } }, async (standin) => {
      const answer = await customerQuery(standin, CUSTOMER_EMAIL);
      assert.equal(answer.status, status);
      assert.match(answer.headers.get('content-type'), /^text\/html/);
      assert.equal(answer.json, undefined);
      standin.setMode('normal');
      assert.equal((await customerQuery(standin, CUSTOMER_EMAIL)).status, 200);
    });
  }
  await withStandin({}, async (standin) => {
    assert.throws(() => standin.setMode('flaky'), /unknown stand-in mode/);
  });
});

test('what the stand-in does not know is refused as Shopify refuses it, never guessed', async () => {
  await withStandin({}, async (standin) => {
    const unknownField = await graphql(standin, { query: 'query { customerByIdentifier(identifier: {emailAddress: "x@example.com"}) { id amountSpent { amount } } }' });
    assert.equal(unknownField.status, 200);
    assert.equal(unknownField.json.data, undefined);
    assert.deepEqual(unknownField.json.errors[0].extensions, { code: 'undefinedField', typeName: 'Customer', fieldName: 'amountSpent' });
    const missingVariable = await graphql(standin, { query: QUERIES.CUSTOMER_QUERY, variables: { email: CUSTOMER_EMAIL } });
    assert.deepEqual(
      missingVariable.json.errors.map((e) => [e.message, e.extensions.code]),
      [
        ['Variable $withAddresses of type Boolean! was provided invalid value', 'INVALID_VARIABLE'],
        ['Variable $withOrders of type Boolean! was provided invalid value', 'INVALID_VARIABLE'],
      ],
    );
    const tooDear = await graphql(standin, { query: 'query { orders(first: 250) { nodes { lineItems(first: 250) { nodes { title } } } } }' });
    assert.equal(tooDear.json.errors[0].extensions.code, 'MAX_COST_EXCEEDED');
    const mutation = await graphql(standin, { query: 'mutation { customerDelete(input: {id: "gid://shopify/Customer/1"}) { deletedCustomerId } }' });
    assert.equal(mutation.json.errors[0].extensions.code, 'STANDIN_UNSUPPORTED');
    const badCursor = await customerQuery(standin, CUSTOMER_EMAIL, { addressesDone: true, ordersAfter: 'bm90IGEgY3Vyc29y' });
    assert.equal(badCursor.json.errors[0].message, 'Invalid cursor for current pagination sort.');
  });
});

/** A `;`-separated CSV line read with quotes (as answer::orders_csv reads it). */
function csvRows(text) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      rows.at(-1).push(field);
      field = '';
    } else if (c === '\n') {
      rows.at(-1).push(field.replace(/\r$/, ''));
      field = '';
      rows.push([]);
    } else field += c;
  }
  if (rows.at(-1).length === 0 && field === '') rows.pop();
  else rows.at(-1).push(field);
  return rows;
}

test("the Dutch demo's order export: an e-mail column answer::orders_csv knows, several customers, equal rows", () => {
  const text = readFileSync(path.join(ROOT, 'tests', 'e2e', 'fixtures', 'jouwweb-orders.csv'), 'utf8');
  const [header, ...rows] = csvRows(text);
  const source = readFileSync(path.join(ROOT, 'answer', 'src', 'orders_csv.rs'), 'utf8');
  const known = [.../const EMAIL_HEADERS[^=]*=\s*\[([^\]]*)\]/.exec(source)[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  const normalise = (h) => [...h.toLowerCase()].filter((c) => /[\p{L}\p{N}]/u.test(c)).join('');
  const emailColumns = header.map((h, i) => [normalise(h), i]).filter(([h]) => known.includes(h));
  assert.equal(emailColumns.length, 1, `one e-mail column among ${header.join(', ')}`);
  const email = emailColumns[0][1];
  for (const [i, row] of rows.entries()) assert.equal(row.length, header.length, `line ${i + 2}`);
  const addresses = new Set(rows.map((row) => row[email].trim().toLowerCase()));
  assert.ok(addresses.size >= 4, [...addresses].join(', '));
  const anna = rows.filter((row) => row[email].trim().toLowerCase() === 'anna@example.nl');
  assert.deepEqual([...new Set(anna.map((row) => row[0]))], ['2026-0418', '2026-0440'], 'the Dutch requester has two orders, one in other case and with a space');
  assert.ok(addresses.has('hanna@example.nl'), 'a near miss that contains the address but is not it');
  assert.ok(rows.some((row) => row.some((v) => v.includes(';'))) && rows.some((row) => row.some((v) => v.includes('"'))), 'quoted fields with ; and "');
});
