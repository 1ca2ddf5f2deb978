import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage } from 'node:http';
import { Logger } from 'nestjs-pino';
import { buildApiDocument } from './api-document';
import { AppModule, AppModuleOptions } from './app.module';
import { jsonDeeperThan, MAX_JSON_DEPTH, unstorableTextAt } from './common/body-guards';
import { requestIdFrom } from './logging';

/**
 * Builds the HTTP application (Fastify, chosen for its request rate; README, "Benchmarks"). main.ts and the tests share it,
 * so what the tests call is exactly what runs.
 */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.config.bodyLimitBytes,
    trustProxy: false,
    genReqId: (req: IncomingMessage) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      // pino-http reads the id from the raw request, so logs and error bodies agree.
      (req as { id?: string }).id = id;
      return id;
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // The API speaks JSON only; say so instead of treating another body as an empty one.
  fastify.addHook('onRequest', async (request, reply) => {
    const type = request.headers['content-type'];
    if (type && request.url.startsWith('/api/') && !/^application\/(.+\+)?json\b/i.test(type)) {
      await reply.status(415).send({
        statusCode: 415,
        code: 'unsupported_media_type',
        message: 'Send the request body as JSON (Content-Type: application/json)',
        requestId: String(request.id),
      });
    }
  });
  // Refused before validation: deep nesting would overflow the recursive DTO transforms, and
  // text PostgreSQL cannot store would fail in the database; both would be a 500.
  fastify.addHook('preValidation', async (request, reply) => {
    if (request.body !== undefined && jsonDeeperThan(request.body, MAX_JSON_DEPTH)) {
      return reply.status(400).send({
        statusCode: 400,
        code: 'json_too_deep',
        message: `The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`,
        requestId: String(request.id),
      });
    }
    const field =
      unstorableTextAt(request.body) ??
      unstorableTextAt(request.query, 'query') ??
      unstorableTextAt(request.params, 'path');
    if (field !== undefined) {
      const message = `${field} contains a NUL character or an unpaired surrogate`;
      return reply.status(400).send({
        statusCode: 400,
        code: 'validation_failed',
        message,
        details: [{ field, rule: 'storableText', message }],
        requestId: String(request.id),
      });
    }
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
      },
    },
  });

  const document = buildApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/openapi.json',
    yamlDocumentUrl: 'api/openapi.yaml',
  });
  return app;
}
