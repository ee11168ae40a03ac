import fc from 'fast-check';

/**
 * Generated hostile input for the hostile-input suite: wrong types, huge strings, control
 * characters, Unicode edge cases, prototype-pollution keys, SQL and HTML fragments.
 */

/** The seed every property uses: fixed, unless HOSTILE_SEED is a number or `random`. */
export const SEED: number = (() => {
  const env = process.env.HOSTILE_SEED;
  if (env === 'random') return Math.floor(Math.random() * 2 ** 31);
  if (env && /^-?\d+$/.test(env)) return Number(env);
  return 20_261_125;
})();

const HUGE = 100_000;

export const SQL_FRAGMENTS = [
  "'; drop table participants; --",
  "' or 1=1 --",
  '" or ""="',
  "1; delete from contacts where '1'='1",
  "') union select password_hash, email from users --",
  '%',
  '_',
  '\\',
  'name; select pg_sleep(0) --',
  'participants.given_name desc, (select 1)',
  'created_at',
  '1e309',
  '-1',
  '0x7fffffffffffffff',
  '9999999999999999999999',
];

export const HTML_FRAGMENTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "'><iframe src=javascript:alert(1)>",
  '{{ 7*7 }}',
  '{% raw %}',
  '${7*7}',
  '</textarea><script>alert(2)</script>',
  '<a href="javascript:alert(3)">x</a>',
  '&lt;escaped&gt;',
];

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '__proto__.polluted', 'constructor.prototype.polluted'];

const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
];

const UNICODE_EDGES = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'a\uD83Db', // broken emoji
  '\uFEFF', // byte order mark
  '\u200B', // zero-width space
  '\u202Eevil', // right-to-left override
  'e\u0301', // combining accent
  '\uFFFD',
  '\uFFFF',
  '😀👩‍👩‍👧‍👦',
  'Ａｂｃ', // full width
  'İı', // case-folding oddities
  'ß',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '٣٤٥', // Arabic-Indic digits
  '\u0000\uD800<script>',
];

const SPECIAL_STRINGS = [
  '',
  ' ',
  '   \t  ',
  'null',
  'undefined',
  'true',
  'false',
  'NaN',
  'Infinity',
  '-0',
  '0',
  '[]',
  '{}',
  '[object Object]',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '9999-12-31T99:99:99Z',
  '00000000-0000-0000-0000-000000000000',
  '../../etc/passwd',
  '%00',
  '%zz',
  '%',
];

/** A string of some hostile kind. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SQL_FRAGMENTS), weight: 3 },
  { arbitrary: fc.constantFrom(...HTML_FRAGMENTS), weight: 3 },
  { arbitrary: fc.constantFrom(...PROTO_KEYS), weight: 1 },
  { arbitrary: fc.constantFrom(...CONTROL), weight: 2 },
  { arbitrary: fc.constantFrom(...UNICODE_EDGES), weight: 3 },
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom('a', '<script>', '😀', '\uD800', "'", '\u0000', 'é'), fc.integer({ min: 1, max: 3 }))
      .map(([unit, k]) => unit.repeat(Math.ceil((HUGE * k) / 3 / unit.length))),
    weight: 1,
  },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...SQL_FRAGMENTS, ...HTML_FRAGMENTS, ...UNICODE_EDGES), fc.string({ maxLength: 8 }))
      .map(([a, b]) => `${b}${a}${b}`),
    weight: 2,
  },
);

/** Hostile text short enough to pass a length check, so that it reaches the database. */
export const shortHostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: hostileString.filter((s) => s.length < 150), weight: 1 },
  {
    // NUL weighs more: PostgreSQL cannot store it in text at all.
    arbitrary: fc
      .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\u0000', '\u0000', ...CONTROL, ...UNICODE_EDGES))
      .map(([a, b]) => `x${a}${b}${a}`),
    weight: 2,
  },
);

/** A key for an object or form: a prototype-pollution key or some other odd one. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PROTO_KEYS), weight: 3 },
  {
    arbitrary: fc.constantFrom('id', 'version', 'created_at', 'role', 'team_id', 'deleted_at', 'user_id', 'sort', 'order'),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom('a[b]', 'a[]', '[]', '', ' ', 'a.b', '$where', 'toString', 'hasOwnProperty', 'valueOf'),
    weight: 2,
  },
  { arbitrary: hostileString.filter((s) => s.length < 200), weight: 1 },
);

/** Any JSON value, hostile at every level. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: hostileString, weight: 6 },
    {
      arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, -(2 ** 63)),
      weight: 3,
    },
    { arbitrary: fc.integer(), weight: 1 },
    { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }), weight: 1 },
    { arbitrary: fc.array(tie('value'), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 3 }).map((e) => new Entries(e)), weight: 1 },
  ),
})).value;

/**
 * An object written as key/value pairs, so that `__proto__` can be a real key of the JSON text
 * (an object literal would set the prototype instead).
 */
export class Entries {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

/** JSON text for a value, with Entries written as objects key by key. */
export function toJsonText(value: unknown): string {
  if (value instanceof Entries) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  return JSON.stringify(value) ?? 'null';
}

/** Percent-encodes any string, lone surrogates included (as the bytes a careless client would send). */
export function percentEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    let out = '';
    for (const ch of s) {
      const code = ch.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff) {
        out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
      } else out += encodeURIComponent(ch);
    }
    return out;
  }
}

/** Form text (`application/x-www-form-urlencoded`): arrays repeat the key, objects become `key[sub]`. */
export function toFormText(entries: readonly (readonly [string, unknown])[]): string {
  const parts: string[] = [];
  const add = (k: string, v: unknown): void => {
    if (v instanceof Entries) for (const [sk, sv] of v.entries) add(`${k}[${sk}]`, sv);
    else if (Array.isArray(v)) for (const item of v) add(k, item);
    else parts.push(`${percentEncode(k)}=${percentEncode(v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v))}`);
  };
  for (const [k, v] of entries) add(k, v);
  return parts.join('&');
}

/** Bodies that are not a JSON object at all. */
export const notAnObjectBody: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '{',
  '{"a":',
  '[1,2,3]',
  '"just a string"',
  '42',
  'null',
  'true',
  '{"a":1,"a":2}',
  '\u0000',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  `[${'['.repeat(500)}${']'.repeat(500)}]`,
  `{"x":"${'\\ud800'}"}`,
  'a=1&b=2',
  '<xml>not json</xml>',
);

/** How a request's body goes over the wire. */
export type BodyKind = 'json' | 'form' | 'raw-json' | 'none';

export interface HostileBody {
  kind: BodyKind;
  /** Values to set on known fields: an index into the field list, and the value. */
  changes: [number, unknown][];
  /** Known fields to leave out, by index. */
  drop: number[];
  /** Extra fields. */
  extra: [string, unknown][];
  /** For `raw-json`: text that is not a JSON object. */
  raw: string;
  /**
   * Only free-text fields changed, to hostile strings, everything else left valid: so the text
   * reaches the database rather than stopping at a type check.
   */
  textOnly: boolean;
  texts: string[];
}

/** Field names that hold free text (forms and API alike). */
export const FREE_TEXT =
  /notes?$|name$|description|title|reason|summary|details|address|with_whom|reference|detail$|goal|strengths|interests|history|skills|needs|aspirations|education|occupation|outcome|next_step|owner|actions|reviewers|line_manager|sector|q$/;

export function hostileBody(kinds: readonly BodyKind[]): fc.Arbitrary<HostileBody> {
  return fc.record({
    kind: fc.constantFrom(...kinds),
    changes: fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 1, maxLength: 4 }),
    drop: fc.array(fc.nat(), { maxLength: 2 }),
    extra: fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 2 }),
    raw: notAnObjectBody,
    textOnly: fc.boolean(),
    texts: fc.array(shortHostileString, { minLength: 1, maxLength: 3 }),
  });
}

/** The fields of a body: the valid baseline with the hostile changes applied. */
export function applyBody(baseline: readonly (readonly [string, unknown])[], body: HostileBody): [string, unknown][] {
  const fields = baseline.map(([k, v]) => [k, v] as [string, unknown]);
  const textFields = fields.filter(([k]) => FREE_TEXT.test(k));
  if (body.textOnly && textFields.length > 0) {
    body.texts.forEach((t, i) => (textFields[i % textFields.length]![1] = t));
    return fields;
  }
  if (fields.length > 0) {
    for (const [i, v] of body.changes) fields[i % fields.length]![1] = v;
    const dropped = new Set(body.drop.map((i) => i % fields.length));
    const kept = fields.filter((_, i) => !dropped.has(i));
    return [...kept, ...body.extra];
  }
  return [
    ...body.changes.map(([i, v]) => [['name', 'notes', 'q', 'status', 'value'][i % 5]!, v] as [string, unknown]),
    ...body.extra,
  ];
}

/** A path id: one that exists, one that does not, or something that is not an id at all. */
export function pathId(existing: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: existing.length > 0 ? fc.constantFrom(...existing) : fc.uuid(), weight: 5 },
    { arbitrary: fc.uuid(), weight: 2 },
    { arbitrary: hostileString.filter((s) => s.length > 0 && s.length < 300), weight: 2 },
  );
}
