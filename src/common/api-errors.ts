import { SetMetadata } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';

// @nestjs/swagger exports the document type only; its parts are read from it.
type Operation = NonNullable<OpenAPIObject['paths'][string]['get']>;
type ResponseObject = Exclude<NonNullable<Operation['responses'][string]>, { $ref: string }>;
type SchemaObject = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

/** Metadata key of @ApiErrors. */
export const API_ERRORS = 'tocsin:api-errors';

/** Error statuses a handler can answer beyond what its route metadata already tells. */
export type DeclaredErrors = Partial<Record<401 | 403 | 409 | 422, string[]>>;

/**
 * The stable codes a handler's use case can answer (409 conflicts, 422, a 403 of its own), for the
 * OpenAPI document. 400/401/403/404/413/415/429 are derived from the route (documentErrors).
 */
export const ApiErrors = (errors: DeclaredErrors) => SetMetadata(API_ERRORS, errors);

/** What the route decorators say about one handler (see api-document.ts). */
export interface RouteFacts {
  public: boolean;
  /** Roles besides admin that may call it; undefined: any staff role. */
  roles: string[] | undefined;
  throttled: boolean;
  errors: DeclaredErrors;
}

const ERROR_BODY: SchemaObject = {
  type: 'object',
  description: 'The one error body of the API (README, "The API")',
  required: ['statusCode', 'code', 'message', 'requestId'],
  properties: {
    statusCode: { type: 'integer', example: 400 },
    code: { type: 'string', description: 'Stable, for programs', example: 'validation_failed' },
    message: { type: 'string', description: 'For people', example: 'severity must not be greater than 4' },
    details: {
      description:
        'Validation errors: one entry per field. A refused transition (409) carries `{from, to, allowed}`.',
      oneOf: [
        { type: 'array', items: { $ref: '#/components/schemas/FieldViolation' } },
        { type: 'object', additionalProperties: true },
      ],
    },
    requestId: { type: 'string', description: 'Also in the x-request-id header and the logs' },
  },
};

const FIELD_VIOLATION: SchemaObject = {
  type: 'object',
  required: ['field', 'rule', 'message'],
  properties: {
    field: { type: 'string', example: 'contacts[1].email' },
    rule: { type: 'string', example: 'isEmail' },
    message: { type: 'string', example: 'contacts[1].email must be an email' },
  },
};

/** Reusable responses, by status: what each means here and the codes it carries. 409 and 422 are
 * written per operation, with the codes its handler answers. */
const RESPONSES: Record<number, { name: string; description: string }> = {
  400: {
    name: 'BadRequest',
    description:
      'Invalid input: `validation_failed` with `details` naming each field and rule; `malformed_json`; `json_too_deep`',
  },
  401: { name: 'Unauthenticated', description: '`unauthenticated`: no token, or not a valid one' },
  403: { name: 'Forbidden', description: '`forbidden`: the token has none of the roles this call needs' },
  404: {
    name: 'NotFound',
    description: '`<entity>.not_found` (a confidential incident is not found either)',
  },
  413: { name: 'PayloadTooLarge', description: '`body_too_large`: the body is larger than BODY_LIMIT_BYTES' },
  415: { name: 'UnsupportedMediaType', description: '`unsupported_media_type`: send the body as JSON' },
  429: { name: 'TooManyRequests', description: '`rate_limited`: RATE_LIMIT_PER_MINUTE reached; retry later' },
};

const INLINE: Record<number, string> = {
  409: 'Conflicts with the current state',
  422: 'Well-formed but refused',
};

const errorResponse = (description: string): ResponseObject => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
});

const METHODS_WITH_BODY = new Set(['post', 'put', 'patch']);

/**
 * Completes the generated document: the error body once (a schema and reusable responses), and for
 * each operation its security (`[]` when public) and the 4xx it can answer, derived from the route:
 * 400 when it takes parameters or a body, 401 unless public, 403 when roles are named, 404 with path
 * ids, 413/415 with a body, 429 when throttled, and the 409/422 its handler declares (@ApiErrors).
 * Idempotency (IdempotencyInterceptor) adds 409/422 to every authenticated POST.
 */
export function documentErrors(document: OpenAPIObject, facts: (operationId: string) => RouteFacts): void {
  const components = (document.components ??= {});
  components.schemas = { ...components.schemas, ErrorBody: ERROR_BODY, FieldViolation: FIELD_VIOLATION };
  const responses = (components.responses ??= {});
  for (const { name, description } of Object.values(RESPONSES)) responses[name] = errorResponse(description);
  const ref = (status: number) => ({ $ref: `#/components/responses/${RESPONSES[status].name}` });

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (!op) continue;
      const route = facts(op.operationId!);
      const withBody = op.requestBody !== undefined || (METHODS_WITH_BODY.has(method) && !route.public);
      const idempotent = method === 'post' && !route.public;
      const codes: Record<number, string[] | undefined> = {
        409: [...(route.errors[409] ?? []), ...(idempotent ? ['idempotency.in_progress'] : [])],
        422: [...(route.errors[422] ?? []), ...(idempotent ? ['idempotency.key_reused'] : [])],
      };
      const answers = new Map<number, ResponseObject | { $ref: string }>();
      // Every route: the body guards refuse text PostgreSQL cannot store, in any parameter (app.factory.ts).
      answers.set(400, ref(400));
      if (!route.public) answers.set(401, ref(401));
      if (route.errors[401]) answers.set(401, errorResponse(`Refused: ${list(route.errors[401])}`));
      if (route.roles !== undefined) answers.set(403, ref(403));
      if (route.errors[403]) answers.set(403, errorResponse(`Refused: ${list(route.errors[403])}`));
      if (/\{\w+\}/.test(path)) answers.set(404, ref(404));
      for (const status of [409, 422]) {
        if (codes[status]!.length > 0)
          answers.set(status, errorResponse(`${INLINE[status]}: ${list(codes[status]!)}`));
      }
      if (withBody) {
        answers.set(413, ref(413));
        answers.set(415, ref(415));
      }
      if (route.throttled) answers.set(429, ref(429));
      for (const [status, response] of answers) op.responses[status] ??= response;
      if (route.public) op.security = [];
    }
  }
}

const list = (codes: string[]) => codes.map((c) => `\`${c}\``).join(', ');
