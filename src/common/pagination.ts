import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { INT4_MAX, IsOptionalNotNull, QueryInteger } from './validation';

/** `?limit=` and `?offset=`: decimal integers within their bounds, anything else is 400. */
export class PageQuery {
  @ApiPropertyOptional({ default: 50 })
  @IsOptionalNotNull()
  @QueryInteger({ min: 1, max: 200 })
  limit = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptionalNotNull()
  @QueryInteger({ min: 0, max: INT4_MAX })
  offset = 0;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * Documents a 200 answer as a page of `item` (a class with @ApiProperty; without one, objects): the
 * list shape of the API, which test/e2e/openapi.e2e.spec.ts checks on every list that is not a
 * documented whole list (ApiWholeListResponse).
 */
export const ApiPageResponse = (item?: ClassType<unknown>) =>
  applyDecorators(
    ...(item ? [ApiExtraModels(item)] : []),
    ApiOkResponse({
      description: 'A page of the list, in its documented order',
      schema: {
        type: 'object',
        required: ['items', 'total', 'limit', 'offset'],
        properties: {
          items: { type: 'array', items: item ? { $ref: getSchemaPath(item) } : { type: 'object' } },
          total: { type: 'integer', minimum: 0, description: 'Items in the whole list' },
          limit: { type: 'integer', minimum: 1, maximum: 200 },
          offset: { type: 'integer', minimum: 0 },
        },
      },
    }),
  );

/**
 * Documents a 200 answer as the whole list of `item`, not a page: for a sub-collection bounded by
 * its parent (a customer's contacts, an incident's plan). `reason` says why it stays small; a list
 * that can grow without bound is a page (ApiPageResponse) instead.
 */
export const ApiWholeListResponse = (item: ClassType<unknown>, reason: string) => {
  // Not a literal in the call: @nestjs/swagger's SchemaObject type lists no `x-` extensions.
  const schema = {
    type: 'array',
    items: { $ref: getSchemaPath(item) },
    description: `The whole list: ${reason}`,
    // Read by test/e2e/openapi.e2e.spec.ts: an array answer is a page or says it is whole.
    'x-whole-list': true,
  };
  return applyDecorators(
    ApiExtraModels(item),
    ApiOkResponse({ description: `The whole list, not a page: ${reason}`, schema }),
  );
};
