import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidateIf, type ValidationError as ClassValidatorError } from 'class-validator';
import { FieldViolation, ValidationError } from './domain-error';

/**
 * Like @IsOptional() for a field that may be left out but never set to null: @IsOptional() also
 * skips every rule for null, which let `{"title": null}` through to a NOT NULL column (a 500).
 */
export const IsOptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

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
