// Filing rights requests through the API as the widget does, for the attack tests:
// each call from a fresh client address (so tests do not share a rate-limit
// bucket), each request with its own address and idempotency key.
import assert from 'node:assert/strict';

/**
 * Helpers bound to a worker (a function, since tests start it in `before`).
 * `prefix` keeps one file's addresses and keys apart from another's.
 */
export function rightsApi(worker, prefix) {
  let clientCounter = 0;
  let serial = 0;
  const newClient = () => `203.0.113.${++clientCounter}`;
  const requestBody = (overrides = {}) => {
    serial += 1;
    return {
      shop: 'demo-en', right: 'access', name: 'Anna de Vries', email: `${prefix}-${serial}-${Date.now()}@example.nl`,
      confirm_true: true, lang: 'en', idempotency_key: `${prefix}-test-key-${serial}-${Date.now()}`, ...overrides,
    };
  };
  const post = (pathname, body, { client = newClient(), headers = {} } = {}) =>
    fetch(`${worker().url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: worker().url, 'cf-connecting-ip': client, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const file = async (overrides, options) => {
    const body = requestBody(overrides);
    const response = await post('/api/requests', body, options);
    assert.equal(response.status, 201, await response.clone().text());
    return { ...(await response.json()), email: body.email };
  };
  return { newClient, requestBody, post, file };
}
