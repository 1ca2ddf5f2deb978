import { jsonDeeperThan, unstorableTextAt } from './body-guards';

const nest = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('jsonDeeperThan', () => {
  it('counts each array or object as one level; scalars and null as none', () => {
    expect(jsonDeeperThan(1, 0)).toBe(false);
    expect(jsonDeeperThan(null, 0)).toBe(false);
    expect(jsonDeeperThan({}, 0)).toBe(true);
    expect(jsonDeeperThan(nest(3), 3)).toBe(false);
    expect(jsonDeeperThan(nest(4), 3)).toBe(true);
    expect(jsonDeeperThan({ a: [1, 2], b: { c: [{ d: 1 }] } }, 4)).toBe(false);
    expect(jsonDeeperThan({ a: [1, 2], b: { c: [{ d: {} }] } }, 4)).toBe(true);
  });

  it('walks a million levels without recursion', () => {
    expect(jsonDeeperThan(nest(1_000_000), 32)).toBe(true);
  });
});

describe('unstorableTextAt', () => {
  it('accepts any well-formed text, emoji (surrogate pairs) included', () => {
    expect(
      unstorableTextAt({ title: 'Incident 🚨 事件 Ünïcødé', list: ['a', 1, null, true] }),
    ).toBeUndefined();
    expect(unstorableTextAt('plain')).toBeUndefined();
    expect(unstorableTextAt(42)).toBeUndefined();
  });

  it('names the field holding NUL or an unpaired surrogate, in keys as well as values', () => {
    expect(unstorableTextAt({ title: 'a\u0000b' })).toBe('title');
    expect(unstorableTextAt({ contacts: [{ name: 'ok' }, { name: 'x\ud800' }] })).toBe('contacts[1].name');
    expect(unstorableTextAt({ note: '\udc00 trailing half' })).toBe('note');
    expect(unstorableTextAt({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(unstorableTextAt('\u0000')).toBe('body');
    expect(unstorableTextAt({ q: '\u0000' }, 'query')).toBe('query.q');
  });
});
