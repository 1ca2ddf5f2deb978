import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorKind } from './domain-error';

/** The one error shape of the API (README, "The API"). */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: unknown;
  requestId: string;
}

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: HttpStatus.BAD_REQUEST,
  not_found: HttpStatus.NOT_FOUND,
  conflict: HttpStatus.CONFLICT,
  forbidden: HttpStatus.FORBIDDEN,
  unprocessable: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** Codes for errors fastify raises before a request reaches a controller. */
const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', message: 'The request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'malformed_json',
    message: 'The request body is empty but declared as JSON',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is larger than allowed' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Send JSON (application/json)' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_content_length',
    message: 'Content-Length does not match the body',
  },
};

const HTTP_CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'route_not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** Maps anything thrown while serving a request to the API's error body; 500 only for our own faults. */
export function toErrorBody(error: unknown, requestId: string): ErrorBody {
  if (error instanceof DomainError) {
    return {
      statusCode: STATUS_BY_KIND[error.kind],
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      requestId,
    };
  }
  if (error instanceof HttpException && error.cause) {
    // Nest wraps fastify's own 4xx errors (body parsing) in an HttpException; keep their meaning.
    const mapped = fastifyError(error.cause, requestId);
    if (mapped) return mapped;
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const code =
      typeof response === 'object' && response && 'code' in response
        ? String((response as { code: unknown }).code)
        : (HTTP_CODES[status] ?? `http_${status}`);
    return { statusCode: status, code, message: error.message, requestId };
  }
  const mapped = fastifyError(error, requestId);
  if (mapped) return mapped;
  if (isUniqueViolation(error)) {
    // Normally caught earlier with a precise code; this is the safety net for a lost race.
    return {
      statusCode: 409,
      code: 'conflict.duplicate',
      message: 'This would duplicate an existing record',
      requestId,
    };
  }
  if (isDatabaseUnavailable(error)) {
    // Transient (restart, failover, pool exhausted): a 503 tells callers and load balancers to retry.
    return {
      statusCode: 503,
      code: 'database_unavailable',
      message: 'The database is unavailable for the moment; retry shortly',
      requestId,
    };
  }
  return { statusCode: 500, code: 'internal_error', message: 'An unexpected error occurred', requestId };
}

function fastifyError(error: unknown, requestId: string): ErrorBody | undefined {
  const { code, statusCode } = (error ?? {}) as { code?: string; statusCode?: number };
  if (code && FASTIFY_CODES[code])
    return { statusCode: statusCode ?? 400, ...FASTIFY_CODES[code], requestId };
  if (code?.startsWith('FST_') && statusCode && statusCode >= 400 && statusCode < 500) {
    return {
      statusCode,
      code: HTTP_CODES[statusCode] ?? `http_${statusCode}`,
      message: (error as Error).message,
      requestId,
    };
  }
  return undefined;
}

/**
 * Connection refused or dropped, server shutting down or not ready (SQLSTATE class 08, 57P01-03),
 * too many connections (53300), or no pool connection free within connectionTimeoutMillis.
 */
/** A connection to the database that failed or broke: every one of them is worth a retry. */
const SOCKET_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
  'EHOSTUNREACH',
]);

function isDatabaseUnavailable(error: unknown): boolean {
  const { driverError, code, message, cause } = (error ?? {}) as {
    driverError?: { code?: string; message?: string };
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const codes = [driverError?.code, code, cause?.code].filter((c): c is string => typeof c === 'string');
  const text = `${driverError?.message ?? ''} ${message ?? ''} ${cause?.message ?? ''}`;
  return (
    codes.some((c) => /^(08...|57P0[123]|53300)$/.test(c) || SOCKET_ERRORS.has(c)) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable|the database system is (starting up|shutting down|in recovery mode)/i.test(
      text,
    )
  );
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { driverError?: { code?: string } } | null)?.driverError?.code === '23505';
}
