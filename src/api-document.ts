import { INestApplication, Type } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth/auth.decorators';
import { API_ERRORS, DeclaredErrors, documentErrors, RouteFacts } from './common/api-errors';
import type { AppConfig } from './config/app-config';

/** @SkipThrottle() marks the handler per throttler name; app.module.ts configures only `default`. */
const SKIP_DEFAULT_THROTTLER = 'THROTTLER:SKIPdefault';

/**
 * What the route decorators say about every handler, keyed like @nestjs/swagger's default
 * operationId (`Controller_method`): public, roles, throttled, declared errors.
 */
export function routeFacts(app: INestApplication): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const pick = <T>(key: string) =>
          (Reflect.getMetadata(key, handler) as T | undefined) ??
          (Reflect.getMetadata(key, controller) as T | undefined);
        const key = `${controller.name}_${name}`;
        if (facts.has(key))
          throw new Error(`Two controllers named ${controller.name}: operation ids collide`);
        facts.set(key, {
          public: pick<boolean>(PUBLIC_ROUTE) === true,
          roles: pick<string[]>(REQUIRED_ROLES),
          throttled: pick<boolean>(SKIP_DEFAULT_THROTTLER) !== true,
          errors: pick<DeclaredErrors>(API_ERRORS) ?? {},
        });
      }
    }
  }
  return facts;
}

/** The OpenAPI document the application serves at /api/openapi.json. */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tocsin API')
      .setDescription(
        'Major-incident management and customer notification. Errors: {statusCode, code, message, details?, requestId}.',
      )
      .setVersion('1')
      // package.json says UNLICENSED: no rights are granted; the url explains that term.
      .setLicense(
        'Proprietary (UNLICENSED): all rights reserved',
        'https://docs.npmjs.com/cli/v11/configuring-npm/package-json#license',
      )
      // Relative: the API is served by the instance that serves this document, wherever it runs.
      .addServer('/', 'This instance')
      .addBearerAuth()
      // The bearer guard is global: a route needs a staff token unless @Public (then `security: []`).
      .addSecurityRequirements('bearer')
      .build(),
  );
  const facts = routeFacts(app);
  documentErrors(document, (operationId) => {
    const route = facts.get(operationId);
    if (!route) throw new Error(`No route metadata for operation ${operationId}`);
    return route;
  });
  return document;
}

/**
 * The same document without a database or a listening socket: Nest's preview mode builds the
 * module graph and the controllers' prototypes but runs no provider (npm run lint, docs scripts).
 * Also answers the route facts, keyed by operationId.
 */
export async function buildApiDocumentOffline(
  config: AppConfig,
): Promise<{ document: OpenAPIObject; facts: Map<string, RouteFacts> }> {
  const app = await NestFactory.create(
    AppModule.forRoot({ config, databaseUrl: 'postgres://unused@127.0.0.1:1/unused' }),
    new FastifyAdapter(),
    { preview: true, logger: false },
  );
  try {
    return { document: buildApiDocument(app), facts: routeFacts(app) };
  } finally {
    await app.close();
  }
}
