/**
 * Errors raised by use cases, free of HTTP. Each carries a stable `code` that callers can
 * rely on; the exception filter maps the kind to a status code.
 */
export type DomainErrorKind = 'validation' | 'not_found' | 'conflict' | 'forbidden' | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('not_found', `${entity}.not_found`, `${entity} ${id} does not exist`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super('conflict', code, message, details);
  }
}

export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

export class ValidationError extends DomainError {
  constructor(violations: FieldViolation[]) {
    super(
      'validation',
      'validation_failed',
      violations.map((v) => v.message).join('; ') || 'The request is invalid',
      violations,
    );
  }

  static field(field: string, rule: string, message: string): ValidationError {
    return new ValidationError([{ field, rule, message }]);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super('forbidden', code, message);
  }
}
