import { applyDecorators, ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateBy,
  ValidateIf,
  type ValidationError as ClassValidatorError,
} from 'class-validator';
import { commaList } from './query-params';
import { FieldViolation, ValidationError } from './domain-error';

/**
 * The request field decorators every DTO uses, each documenting in OpenAPI exactly what it
 * enforces, so the document and the behaviour cannot disagree. class-validator's @IsOptional()
 * is banned outside this file (eslint.config.mjs): it skips every rule for null as well, which
 * let `{"ownerId": null}` through to a NOT NULL column (a 500) or silently read null as absent.
 */

/** A field that may be left out but never set to null: null is 400, rule `notNull`. */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A field that may be left out or set to null (null clears the value); documented `nullable`. */
export const Nullable = () => applyDecorators(IsOptional(), ApiProperty({ nullable: true, required: false }));

/** PostgreSQL's int4: the bound of integers that have no smaller natural one (versions, offsets). */
export const INT4_MAX = 2_147_483_647;

/** Only plain decimal digits are a number in a query string: `1.5`, `0x10`, ` 5`, `1e3` or an empty value stay text. */
const DECIMAL_INTEGER = /^-?\d+$/;
const parseQueryInteger = (value: unknown) =>
  typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value;

/**
 * An integer within [min, max], documented as `type: integer` with both bounds. A JSON number
 * beyond them (1e19) would otherwise reach PostgreSQL and fail there with a 500.
 */
export function IntegerField(bounds: { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: 'integer', minimum: bounds.min, maximum: bounds.max }),
    IsInt(),
    Min(bounds.min),
    Max(bounds.max),
  );
}

/** IntegerField for a query parameter, which arrives as text: only decimal digits are parsed. */
export function QueryInteger(bounds: { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => parseQueryInteger(value), { toClassOnly: true }),
    IntegerField(bounds),
  );
}

/** Comma-separated integers within [min, max] (`1,2`, or repeated `severity=1&severity=2`). */
export function QueryIntegerList(bounds: { min: number; max: number }): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: 'array',
      items: { type: 'integer', minimum: bounds.min, maximum: bounds.max },
    }),
    Transform(
      ({ value }) => {
        // An empty `?severity=` is no list (400 isInt), not an empty filter.
        if (typeof value === 'string' && !value.trim()) return value;
        const list = commaList({ value });
        return Array.isArray(list) ? list.map(parseQueryInteger) : list;
      },
      { toClassOnly: true },
    ),
    IsInt({ each: true }),
    Min(bounds.min, { each: true }),
    Max(bounds.max, { each: true }),
  );
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date-time with its zone (`Z` or `±hh:mm`) naming a real instant: a number, a
 * date alone, a time without zone (read in whichever zone the server runs) or 2026-02-30 is not.
 */
export function isIsoDateTime(text: string): boolean {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

/**
 * A date-time field (body or query), read as a Date. Rule `isDate` for anything else. The
 * example is what Swagger UI's "Try it out" sends, so it must pass the field's other rules too
 * (a far-future one for fields that must lie ahead, such as a token's expiry).
 */
export function IsoDateTime(options: { example?: string } = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', example: options.example ?? '2026-03-01T09:00:00Z' }),
    Transform(({ value }) => (typeof value === 'string' && isIsoDateTime(value) ? new Date(value) : value), {
      toClassOnly: true,
    }),
    ValidateBy({
      name: 'isDate',
      validator: {
        validate: (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime()),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be an ISO 8601 date-time with a time zone, such as 2026-03-01T09:00:00Z`,
      },
    }),
  );
}

/** Flattens class-validator's tree into `{field: "contacts[0].email", rule: "isEmail", message}`. */
export function toViolations(errors: ClassValidatorError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    const unknown = constraints.some(([rule]) => rule === 'whitelistValidation');
    if (error.value === undefined && constraints.length && !unknown) {
      // One clear line for a missing field instead of every rule it would have to meet.
      return [{ field, rule: 'required', message: `${field} is required` }];
    }
    if (error.value === null && constraints.length && !unknown) {
      // A nullable field never gets here (Nullable() skips its rules for null).
      return [{ field, rule: 'notNull', message: `${field} must not be null` }];
    }
    const own = constraints.map(([rule, message]) => ({
      field,
      rule: rule === 'whitelistValidation' ? 'unknownField' : rule,
      message:
        rule === 'whitelistValidation'
          ? `${field} is not a known field`
          : message.replace(error.property, field),
    }));
    return [...own, ...toViolations(error.children ?? [], field)];
  });
}

/**
 * With ES2022 class fields (target ES2023), a DTO instance has an own `undefined` property for
 * every field the client did not send, and `Object.assign(entity, dto)` would copy those over
 * the entity. A DTO holds only what was sent.
 */
function dropUnsetFields<T>(value: T): T {
  if (Array.isArray(value)) value.forEach(dropUnsetFields);
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined) delete (value as Record<string, unknown>)[key];
      else dropUnsetFields(field);
    }
  }
  return value;
}

class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // ValidationPipe reads a null body as {}, so a bare `null` would pass as an empty PATCH.
    if (metadata.type === 'body' && value === null && metadata.metatype) {
      throw ValidationError.field('body', 'notNull', 'The body must be a JSON object, not null');
    }
    return dropUnsetFields(await super.transform(value, metadata));
  }
}

/** The global pipe: validate at the edge only, reject unknown fields, name each offending field. */
export function apiValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationError(toViolations(errors)),
  });
}
