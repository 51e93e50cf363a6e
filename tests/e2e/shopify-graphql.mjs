// The GraphQL part of the Shopify stand-in (shopify-standin.mjs): a parser for the
// query language as far as `answer::shopify` uses it (operations with variables,
// fields with arguments and aliases, fragments, @include/@skip) and an executor over
// a small schema, so that every query is answered field by field as Shopify would:
// only the selected fields, errors in graphql-ruby's shapes (`undefinedField`,
// `INVALID_VARIABLE`, `ACCESS_DENIED` with `path`), a null that spreads up to the
// nearest nullable field, and the calculated query cost of Shopify's rate-limit
// documentation (object 1, scalar and enum 0, connection 2 + `first` times its node).

/** A GraphQL error to answer with (message, extensions.code, path). */
export class GraphQlError extends Error {
  constructor(message, extensions = {}, path = undefined) {
    super(message);
    this.extensions = extensions;
    this.path = path;
  }

  toJSON() {
    return { message: this.message, ...(this.path ? { path: this.path } : {}), extensions: this.extensions };
  }
}

// ---- Parsing -------------------------------------------------------------------

const PUNCTUATORS = new Set(['!', '$', '(', ')', ':', '=', '@', '[', ']', '{', '}', '|', '&']);

function tokenize(source) {
  const tokens = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (/[\s,\uFEFF]/.test(c)) {
      i += 1;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...' });
      i += 3;
    } else if (PUNCTUATORS.has(c)) {
      tokens.push({ kind: 'punct', value: c });
      i += 1;
    } else if (/[_A-Za-z]/.test(c)) {
      const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))[0];
      tokens.push({ kind: 'name', value: name });
      i += name.length;
    } else if (/[-0-9]/.test(c)) {
      const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!number) throw new GraphQlError(`Parse error on "${c}"`, { code: 'parseError' });
      tokens.push({ kind: number[1] || number[2] ? 'float' : 'int', value: Number(number[0]) });
      i += number[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== '"') {
        if (source[j] === '\\') {
          const escaped = source[j + 1];
          if (escaped === 'u') {
            text += String.fromCharCode(parseInt(source.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          text += { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[escaped] ?? escaped;
          j += 2;
        } else {
          text += source[j];
          j += 1;
        }
      }
      if (j >= source.length) throw new GraphQlError('Parse error: unterminated string', { code: 'parseError' });
      tokens.push({ kind: 'string', value: text });
      i = j + 1;
    } else {
      throw new GraphQlError(`Parse error on "${c}"`, { code: 'parseError' });
    }
  }
  return tokens;
}

class Parser {
  constructor(source) {
    this.tokens = tokenize(source);
    this.at = 0;
  }

  peek(value) {
    const token = this.tokens[this.at];
    return token && (value === undefined || token.value === value) ? token : undefined;
  }

  take(value) {
    const token = this.tokens[this.at];
    if (!token || (value !== undefined && token.value !== value)) {
      throw new GraphQlError(`Parse error on ${token ? JSON.stringify(String(token.value)) : 'end of query'} (expected ${value ?? 'more'})`, { code: 'parseError' });
    }
    this.at += 1;
    return token;
  }

  name() {
    const token = this.take();
    if (token.kind !== 'name') throw new GraphQlError(`Parse error on "${token.value}" (expected a name)`, { code: 'parseError' });
    return token.value;
  }

  document() {
    const operations = [];
    const fragments = {};
    while (this.peek()) {
      if (this.peek('fragment')) {
        this.take();
        const name = this.name();
        this.take('on');
        fragments[name] = { name, on: this.name(), directives: this.directives(), selections: this.selectionSet() };
      } else if (this.peek('{')) {
        operations.push({ type: 'query', name: null, variables: [], selections: this.selectionSet() });
      } else {
        const type = this.name();
        if (!['query', 'mutation', 'subscription'].includes(type)) throw new GraphQlError(`Parse error on "${type}"`, { code: 'parseError' });
        const name = this.peek()?.kind === 'name' ? this.name() : null;
        const variables = this.peek('(') ? this.variableDefinitions() : [];
        this.directives();
        operations.push({ type, name, variables, selections: this.selectionSet() });
      }
    }
    return { operations, fragments };
  }

  variableDefinitions() {
    const definitions = [];
    this.take('(');
    while (!this.peek(')')) {
      this.take('$');
      const name = this.name();
      this.take(':');
      const type = this.type();
      const fallback = this.peek('=') ? (this.take(), this.value(true)) : undefined;
      definitions.push({ name, type, fallback });
    }
    this.take(')');
    return definitions;
  }

  type() {
    let type;
    if (this.peek('[')) {
      this.take('[');
      type = `[${this.type()}]`;
      this.take(']');
    } else type = this.name();
    if (this.peek('!')) {
      this.take();
      type += '!';
    }
    return type;
  }

  selectionSet() {
    this.take('{');
    const selections = [];
    while (!this.peek('}')) selections.push(this.selection());
    this.take('}');
    if (selections.length === 0) throw new GraphQlError('Parse error on "}" (empty selection)', { code: 'parseError' });
    return selections;
  }

  selection() {
    if (this.peek('...')) {
      this.take();
      if (this.peek('on')) {
        this.take();
        const on = this.name();
        return { kind: 'inline', on, directives: this.directives(), selections: this.selectionSet() };
      }
      if (this.peek('@') || this.peek('{')) return { kind: 'inline', on: null, directives: this.directives(), selections: this.selectionSet() };
      return { kind: 'spread', name: this.name(), directives: this.directives() };
    }
    let alias = null;
    let name = this.name();
    if (this.peek(':')) {
      this.take();
      alias = name;
      name = this.name();
    }
    const args = this.peek('(') ? this.arguments() : {};
    const directives = this.directives();
    const selections = this.peek('{') ? this.selectionSet() : null;
    return { kind: 'field', alias, name, args, directives, selections };
  }

  arguments() {
    const args = {};
    this.take('(');
    while (!this.peek(')')) {
      const name = this.name();
      this.take(':');
      args[name] = this.value(false);
    }
    this.take(')');
    return args;
  }

  directives() {
    const directives = [];
    while (this.peek('@')) {
      this.take();
      const name = this.name();
      directives.push({ name, args: this.peek('(') ? this.arguments() : {} });
    }
    return directives;
  }

  /** A value as a tree: { variable } for `$x`, plain JS values otherwise. */
  value(constant) {
    const token = this.take();
    if (token.value === '$' && token.kind === 'punct') {
      if (constant) throw new GraphQlError('Parse error: variable in a default value', { code: 'parseError' });
      return { variable: this.name() };
    }
    if (token.kind === 'punct' && token.value === '[') {
      const list = [];
      while (!this.peek(']')) list.push(this.value(constant));
      this.take(']');
      return { list };
    }
    if (token.kind === 'punct' && token.value === '{') {
      const object = {};
      while (!this.peek('}')) {
        const key = this.name();
        this.take(':');
        object[key] = this.value(constant);
      }
      this.take('}');
      return { object };
    }
    if (token.kind === 'name') {
      if (token.value === 'true') return { literal: true };
      if (token.value === 'false') return { literal: false };
      if (token.value === 'null') return { literal: null };
      return { literal: token.value, enum: true };
    }
    if (token.kind === 'punct') throw new GraphQlError(`Parse error on "${token.value}"`, { code: 'parseError' });
    return { literal: token.value };
  }
}

export function parse(source) {
  return new Parser(source).document();
}

/** A parsed value with the request's variables filled in. */
function resolveValue(value, variables) {
  if ('variable' in value) return variables[value.variable] ?? null;
  if ('list' in value) return value.list.map((v) => resolveValue(v, variables));
  if ('object' in value) return Object.fromEntries(Object.entries(value.object).map(([k, v]) => [k, resolveValue(v, variables)]));
  return value.literal;
}

// ---- Schema --------------------------------------------------------------------

/** Fields from `name: Type` pairs, with the resolvers of those that have one. */
function fields(spec, resolve = {}) {
  return Object.fromEntries(
    spec
      .trim()
      .split(/\s+(?=\w+:)/)
      .map((pair) => {
        const [name, type] = pair.split(/:\s*/);
        return [name, resolve[name] ? { type, resolve: resolve[name] } : { type }];
      }),
  );
}

/**
 * Types: `kind` is `object` (costs 1), `connection` (2 + first × node) or `free`
 * (PageInfo, edges: part of their connection's cost). Fields: `type` is a scalar
 * (`String`, `Int`, `Boolean`, `ID`, `DateTime`, `Decimal`, an enum...) or a type of
 * this map; `[T]` a list; `!` non-null; `resolve(parent, args, ctx, path)` computes
 * the value, otherwise it is `parent[field]`.
 */
export function schemaWith(resolvers) {
  const connection = (node) => ({ kind: 'connection', node, fields: fields(`nodes: [${node}!]! edges: [${node}Edge!]! pageInfo: PageInfo!`) });
  const edge = (node) => ({ kind: 'free', fields: fields(`cursor: String! node: ${node}!`) });
  const object = (spec, resolve) => ({ kind: 'object', fields: fields(spec, resolve) });
  return {
    QueryRoot: { kind: 'free', fields: fields('customerByIdentifier: Customer orders: OrderConnection!', { customerByIdentifier: resolvers.customerByIdentifier, orders: resolvers.orders }) },
    Customer: object(
      `id: ID! firstName: String lastName: String displayName: String! createdAt: DateTime! updatedAt: DateTime!
       locale: String! note: String tags: [String!]! numberOfOrders: UnsignedInt64!
       defaultEmailAddress: CustomerEmailAddress defaultPhoneNumber: CustomerPhoneNumber
       addressesV2: MailingAddressConnection! orders: OrderConnection!`,
      { addressesV2: resolvers.addresses, orders: resolvers.customerOrders },
    ),
    CustomerEmailAddress: object('emailAddress: String marketingState: CustomerEmailAddressMarketingState!'),
    CustomerPhoneNumber: object('phoneNumber: String! marketingState: CustomerSmsMarketingState!'),
    MailingAddress: object(
      `id: ID! firstName: String lastName: String company: String address1: String address2: String zip: String
       city: String province: String provinceCode: String country: String countryCodeV2: CountryCode phone: String name: String`,
    ),
    Order: object(
      `id: ID! name: String! createdAt: DateTime! processedAt: DateTime! email: String phone: String
       displayFinancialStatus: OrderDisplayFinancialStatus displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
       totalPriceSet: MoneyBag! shippingAddress: MailingAddress billingAddress: MailingAddress lineItems: LineItemConnection!`,
      { lineItems: resolvers.lineItems },
    ),
    MoneyBag: object('shopMoney: MoneyV2! presentmentMoney: MoneyV2!'),
    MoneyV2: object('amount: Decimal! currencyCode: CurrencyCode!'),
    LineItem: object('id: ID! title: String! quantity: Int! sku: String'),
    PageInfo: { kind: 'free', fields: fields('hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String') },
    MailingAddressConnection: connection('MailingAddress'),
    MailingAddressEdge: edge('MailingAddress'),
    OrderConnection: connection('Order'),
    OrderEdge: edge('Order'),
    LineItemConnection: connection('LineItem'),
    LineItemEdge: edge('LineItem'),
  };
}

const bare = (type) => type.replace(/[[\]!]/g, '');
const isList = (type) => type.startsWith('[');
const nonNull = (type) => type.endsWith('!');

// ---- Validation, cost, execution ---------------------------------------------

/** The selections that apply: fragments expanded, @include/@skip evaluated. */
function applicable(selections, document, variables) {
  const fields = [];
  for (const selection of selections) {
    const skipped = selection.directives.some((d) => {
      const condition = d.args.if ? resolveValue(d.args.if, variables) : undefined;
      return (d.name === 'include' && condition !== true) || (d.name === 'skip' && condition === true);
    });
    if (skipped) continue;
    if (selection.kind === 'field') fields.push(selection);
    else {
      const inner = selection.kind === 'spread' ? document.fragments[selection.name].selections : selection.selections;
      fields.push(...applicable(inner, document, variables));
    }
  }
  return fields;
}

/** Every field exists on its type and objects have selections (graphql-ruby's messages). */
function validate(typeName, selections, document, schema, path, errors) {
  for (const selection of selections) {
    if (selection.kind === 'spread') {
      const fragment = document.fragments[selection.name];
      if (!fragment) {
        errors.push(new GraphQlError(`Fragment ${selection.name} was used, but not defined`, { code: 'useAndDefineFragment', fragmentName: selection.name }, path));
        continue;
      }
      if (fragment.on !== typeName) {
        errors.push(new GraphQlError(`Fragment ${selection.name} on ${fragment.on} can't be spread inside ${typeName}`, { code: 'fragmentSpreadDoesNotMatch' }, path));
        continue;
      }
      validate(typeName, fragment.selections, document, schema, [...path, `... ${selection.name}`], errors);
      continue;
    }
    if (selection.kind === 'inline') {
      validate(selection.on ?? typeName, selection.selections, document, schema, path, errors);
      continue;
    }
    const fieldPath = [...path, selection.alias ?? selection.name];
    if (selection.name === '__typename') continue;
    const field = schema[typeName]?.fields[selection.name];
    if (!field) {
      errors.push(new GraphQlError(`Field '${selection.name}' doesn't exist on type '${typeName}'`, { code: 'undefinedField', typeName, fieldName: selection.name }, fieldPath));
      continue;
    }
    const target = bare(field.type);
    if (schema[target] && !selection.selections) {
      errors.push(new GraphQlError(`Field must have selections (field '${selection.name}' returns ${target} but has no selections. Did you mean '${selection.name} { ... }'?)`, { code: 'selectionMismatch', nodeName: `field '${selection.name}'`, typeName: target }, fieldPath));
    } else if (!schema[target] && selection.selections) {
      errors.push(new GraphQlError(`Selections can't be made on scalars (field '${selection.name}' returns ${target} but has selections [${selection.selections.map((s) => s.name).join(', ')}])`, { code: 'selectionMismatch', nodeName: `field '${selection.name}'`, typeName: target }, fieldPath));
    } else if (schema[target]) {
      validate(target, selection.selections, document, schema, fieldPath, errors);
    }
  }
}

/** Variables used in the document but not declared, and declared non-null ones missing. */
function checkVariables(operation, document, variables) {
  const errors = [];
  const declared = new Map(operation.variables.map((v) => [v.name, v]));
  const used = new Set();
  const visit = (value) => {
    if (!value) return;
    if ('variable' in value) used.add(value.variable);
    if ('list' in value) value.list.forEach(visit);
    if ('object' in value) Object.values(value.object).forEach(visit);
  };
  const walk = (selections, seen = new Set()) => {
    for (const s of selections) {
      s.directives.forEach((d) => Object.values(d.args).forEach(visit));
      if (s.kind === 'field') {
        Object.values(s.args).forEach(visit);
        if (s.selections) walk(s.selections, seen);
      } else if (s.kind === 'inline') walk(s.selections, seen);
      else if (!seen.has(s.name) && document.fragments[s.name]) {
        seen.add(s.name);
        walk(document.fragments[s.name].selections, seen);
      }
    }
  };
  walk(operation.selections);
  for (const name of used) {
    if (!declared.has(name)) {
      errors.push(new GraphQlError(`Variable $${name} is used by ${operation.name ?? 'anonymous query'} but not declared`, { code: 'variableNotDefined', variableName: name }));
    }
  }
  const values = {};
  for (const { name, type, fallback } of operation.variables) {
    const given = variables?.[name];
    const value = given === undefined ? (fallback ? resolveValue(fallback, {}) : null) : given;
    const scalar = bare(type);
    const wrongType =
      value !== null &&
      ((scalar === 'String' && typeof value !== 'string') ||
        (scalar === 'Boolean' && typeof value !== 'boolean') ||
        (scalar === 'Int' && !Number.isInteger(value)));
    if ((nonNull(type) && value === null) || wrongType) {
      errors.push(
        new GraphQlError(`Variable $${name} of type ${type} was provided invalid value`, {
          code: 'INVALID_VARIABLE',
          value,
          problems: [{ path: [], explanation: value === null ? 'Expected value to not be null' : `Could not coerce value ${JSON.stringify(value)} to ${scalar}` }],
        }),
      );
    }
    values[name] = value;
  }
  return { errors, values };
}

/**
 * The requested cost, before running: object 1, scalar 0, connection 2 + `first`
 * (or `last`) × the cost of one node, as Shopify's rate-limit documentation
 * describes its static analysis.
 */
function requestedCost(typeName, selections, document, schema, variables) {
  let cost = 0;
  for (const field of applicable(selections, document, variables)) {
    const definition = schema[typeName]?.fields[field.name];
    const target = definition && schema[bare(definition.type)];
    if (!target) continue;
    const inner = requestedCost(bare(definition.type), field.selections, document, schema, variables);
    if (target.kind === 'connection') {
      const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, resolveValue(v, variables)]));
      cost += 2 + (args.first ?? args.last ?? 0) * inner;
    } else if (target.kind === 'object') cost += 1 + inner;
    else cost += inner;
  }
  return cost;
}

/** Thrown inside execution to null the nearest nullable field. */
class NullBubble extends Error {}

/**
 * Runs a request against `schema`. Returns `{ status: 'invalid', errors }` when
 * the document is refused before running (no `data`, as Shopify answers), else
 * `{ status: 'ran', data, errors, requestedQueryCost, actualQueryCost }`.
 * `admit(requestedQueryCost)` may refuse to run (throttling): it returns an
 * answer to give instead, or nothing.
 */
export function execute(schema, { query, variables, operationName }, context, admit = () => undefined) {
  if (typeof query !== 'string' || query.trim() === '') {
    return { status: 'invalid', errors: [new GraphQlError('No query string was present', { code: 'parseError' })] };
  }
  let document;
  try {
    document = parse(query);
  } catch (error) {
    if (error instanceof GraphQlError) return { status: 'invalid', errors: [error] };
    throw error;
  }
  const operation = operationName ? document.operations.find((o) => o.name === operationName) : document.operations.length === 1 ? document.operations[0] : undefined;
  if (!operation) {
    const message = operationName ? `No operation named "${operationName}"` : 'An operation name is required';
    return { status: 'invalid', errors: [new GraphQlError(message, { code: 'operationNotFound' })] };
  }
  if (operation.type !== 'query') {
    return { status: 'invalid', errors: [new GraphQlError(`The stand-in answers queries only, not ${operation.type}`, { code: 'STANDIN_UNSUPPORTED' })] };
  }
  const errors = [];
  validate('QueryRoot', operation.selections, document, schema, [`query ${operation.name ?? ''}`.trim()], errors);
  const checked = checkVariables(operation, document, variables ?? {});
  errors.push(...checked.errors);
  if (errors.length) return { status: 'invalid', errors };
  const values = checked.values;

  const requested = requestedCost('QueryRoot', operation.selections, document, schema, values);
  const refused = admit(requested);
  if (refused) return refused;

  let actual = 0;
  const runErrors = [];
  const resolveObject = (typeName, selections, parent, path) => {
    const type = schema[typeName];
    if (type.kind === 'object') actual += 1;
    if (type.kind === 'connection') actual += 2;
    const result = {};
    for (const field of applicable(selections, document, values)) {
      const key = field.alias ?? field.name;
      if (field.name === '__typename') {
        result[key] = typeName;
        continue;
      }
      const definition = type.fields[field.name];
      const fieldPath = [...path, key];
      const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, resolveValue(v, values)]));
      let raw;
      try {
        raw = definition.resolve ? definition.resolve(parent, args, context, fieldPath) : parent[field.name];
      } catch (error) {
        if (!(error instanceof GraphQlError)) throw error;
        runErrors.push(new GraphQlError(error.message, error.extensions, error.path ?? fieldPath));
        raw = null;
      }
      try {
        result[key] = complete(definition.type, field, raw ?? null, fieldPath);
      } catch (bubble) {
        if (!(bubble instanceof NullBubble)) throw bubble;
        result[key] = null;
        if (nonNull(definition.type)) throw bubble;
      }
    }
    return result;
  };
  const complete = (typeText, field, raw, path) => {
    if (raw === null) {
      if (nonNull(typeText)) throw new NullBubble();
      return null;
    }
    const inner = typeText.replace(/!$/, '');
    if (isList(inner)) {
      const itemType = inner.slice(1, -1);
      return raw.map((item, i) => complete(itemType, field, item ?? null, [...path, i]));
    }
    const target = bare(inner);
    return schema[target] ? resolveObject(target, field.selections, raw, path) : raw;
  };

  let data;
  try {
    data = resolveObject('QueryRoot', operation.selections, {}, []);
  } catch (bubble) {
    if (!(bubble instanceof NullBubble)) throw bubble;
    data = null;
  }
  return { status: 'ran', data, errors: runErrors, requestedQueryCost: requested, actualQueryCost: actual };
}

// ---- Connections ---------------------------------------------------------------

/** An opaque cursor in Shopify's style (base64 of the last id seen). */
export function cursorOf(item) {
  const number = /\/(\d+)/.exec(String(item.id))?.[1];
  return Buffer.from(JSON.stringify({ last_id: number ? Number(number) : null, last_value: String(item.id) })).toString('base64');
}

/**
 * One page of `items` as a connection: `first`/`after` (and `last`/`before`,
 * `reverse`) as Shopify's connections take them; at most `pageSize` nodes a page.
 */
export function connection(items, args, pageSize = Infinity) {
  const { first, last, after, before, reverse } = args;
  if (first == null && last == null) {
    throw new GraphQlError('you must provide one of first or last', { code: 'BAD_REQUEST' });
  }
  if ((first ?? 0) > 250 || (last ?? 0) > 250) {
    throw new GraphQlError('The page size exceeds the maximum of 250.', { code: 'BAD_REQUEST' });
  }
  const list = reverse ? [...items].reverse() : [...items];
  const position = (cursor) => {
    const index = list.findIndex((item) => cursorOf(item) === cursor);
    if (index < 0) throw new GraphQlError('Invalid cursor for current pagination sort.', { code: 'BAD_REQUEST' });
    return index;
  };
  let start = after != null ? position(after) + 1 : 0;
  let end = before != null ? position(before) : list.length;
  if (first != null) end = Math.min(end, start + Math.min(first, pageSize));
  if (last != null) start = Math.max(start, end - Math.min(last, pageSize));
  const page = list.slice(start, end);
  return {
    nodes: page,
    edges: page.map((node) => ({ cursor: cursorOf(node), node })),
    pageInfo: {
      hasNextPage: end < list.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorOf(page[0]) : null,
      endCursor: page.length ? cursorOf(page[page.length - 1]) : null,
    },
  };
}
