import { Operation, resolve, SchemaObject, World } from './api-surface';

type Schemas = Record<string, SchemaObject>;

/** The UUID Swagger UI writes into every `format: uuid` field. */
export const SWAGGER_UUID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

/**
 * The request body Swagger UI's "Try it out" fills in (swagger-ui's sampleFromSchema): a
 * property's `example`, else its `default`, else its first `enum` value, else a value by format
 * (date-time: the current time, date: today, email, uuid, uri), else by type (string
 * `"string"`, a number its `minimum` or 0, boolean `true`, an array one item, an object its
 * properties). `now` is the user's clock: the server's, in a test with a fake clock.
 */
export function swaggerSample(schema: SchemaObject, schemas: Schemas, now: Date, depth = 0): unknown {
  const s = resolve(schema, schemas);
  if (s.example !== undefined) return structuredClone(s.example);
  if (s.default !== undefined) return structuredClone(s.default);
  if (s.enum?.length) return s.enum[0];
  const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'object':
      // Swagger UI stops at reference cycles; no request DTO has one, the bound is a guard.
      if (depth > 8) return {};
      return Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([name, prop]) => [
          name,
          swaggerSample(prop, schemas, now, depth + 1),
        ]),
      );
    case 'array':
      return s.items ? [swaggerSample(s.items, schemas, now, depth + 1)] : [];
    case 'integer':
    case 'number':
      return s.minimum ?? 0;
    case 'boolean':
      return true;
    case 'string':
      switch (s.format) {
        case 'date-time':
          return now.toISOString();
        case 'date':
          return now.toISOString().slice(0, 10);
        case 'email':
          return 'user@example.com';
        case 'uuid':
          return SWAGGER_UUID;
        case 'uri':
          return 'https://example.com/';
        default:
          return 'string';
      }
    default:
      return undefined;
  }
}

/** Which id of the world a UUID field names, by the field's name (the ids a user pastes in). */
function worldIdFor(name: string, world: World): string | undefined {
  if (/^(staffMemberId|ownerId|commanderId)$/.test(name)) return world.staffId;
  if (/^customerIds?$/.test(name)) return world.customerId;
  if (/^serviceIds?$/.test(name)) return world.serviceId;
  if (name === 'contactId') return world.contactId;
  if (name === 'incidentId') return world.incidentId;
  return undefined;
}

/** `value` with every Swagger UI placeholder UUID replaced by the real id its field names. */
export function withWorldIds(value: unknown, world: World, name = ''): unknown {
  if (value === SWAGGER_UUID) return worldIdFor(name, world) ?? value;
  if (Array.isArray(value)) return value.map((item) => withWorldIds(item, world, name));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, withWorldIds(v, world, key)]));
  }
  return value;
}

/** Swagger UI's body for the operation, with real ids where it has placeholders: one that passes validation. */
export function validBody(op: Operation, world: World, now: Date): Record<string, unknown> {
  return withWorldIds(swaggerSample(op.body!, op.schemas, now), world) as Record<string, unknown>;
}

/** A documented body field at any depth; through arrays of objects by their first item. */
export interface BodyField {
  /** How a violation names it: `levels[0].phone`. */
  name: string;
  path: (string | number)[];
  schema: SchemaObject;
}

export function bodyFields(
  schema: SchemaObject,
  schemas: Schemas,
  path: (string | number)[] = [],
): BodyField[] {
  return Object.entries(resolve(schema, schemas).properties ?? {}).flatMap(([key, prop]) => {
    const own = resolve(prop, schemas);
    const at = [...path, key];
    const field: BodyField = { name: fieldName(at), path: at, schema: own };
    const items = own.items && resolve(own.items, schemas);
    const nested = own.properties
      ? bodyFields(own, schemas, at)
      : items?.properties
        ? bodyFields(items, schemas, [...at, 0])
        : [];
    return [field, ...nested];
  });
}

const fieldName = (path: (string | number)[]) =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i ? `.${part}` : part)).join('');

/** A copy of `body` with the field at `path` set to `value`. */
export function withField(body: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const part of path.slice(0, -1)) parent = parent[part] as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
  return copy;
}
