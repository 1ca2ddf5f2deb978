/**
 * Deepest JSON nesting the API accepts. DTOs nest a few levels; JSON.parse copes with far more,
 * but the recursive steps after it (class-transformer, class-validator, hashing for idempotency)
 * overflow the stack on thousands of levels, which would be a 500 instead of a 400.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed body nests arrays/objects deeper than `max`; iterative, so any depth is safe. */
export function jsonDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) {
      if (child !== null && typeof child === 'object') pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** NUL, or half of a surrogate pair: PostgreSQL refuses both (text and jsonb), so they would be a 500. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

/**
 * The path (`contacts[0].name`) of the first string, key or value, that PostgreSQL cannot
 * store; undefined when there is none. Iterative like jsonDeeperThan.
 */
export function unstorableTextAt(value: unknown, root = ''): string | undefined {
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length) {
    const [current, path] = pending.pop()!;
    if (typeof current === 'string') {
      if (unstorable(current)) return path || 'body';
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    for (const [key, child] of Object.entries(current)) {
      const at = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (unstorable(key)) return at;
      pending.push([child, at]);
    }
  }
  return undefined;
}
