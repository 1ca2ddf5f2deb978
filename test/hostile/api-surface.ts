import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from '../../src/auth/auth.decorators';
import type { Role } from '../../src/auth/roles';
import { createCustomer, createService, declareIncident } from '../support/fixtures';
import type { TestApp } from '../support/test-app';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface SchemaObject {
  $ref?: string;
  allOf?: SchemaObject[];
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, SchemaObject>;
  items?: SchemaObject;
  required?: string[];
}

/** A query or path parameter as the document describes it. */
export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  schema?: SchemaObject;
}

export interface Operation {
  method: Method;
  /** OpenAPI form: `/api/v1/incidents/{id}`. */
  path: string;
  call: string;
  public: boolean;
  /** The request body's schema, references resolved one level (properties of nested DTOs stay refs). */
  body?: SchemaObject;
  parameters: Parameter[];
  schemas: Record<string, SchemaObject>;
}

/** Every operation the served OpenAPI document lists: the surface a client (or an attacker) sees. */
export async function operationsFromOpenApi(t: TestApp): Promise<Operation[]> {
  const doc = (await t.http.get('/api/openapi.json').expect(200)).body as {
    paths: Record<
      string,
      Record<
        string,
        {
          security?: unknown[];
          parameters?: Parameter[];
          requestBody?: { content: Record<string, { schema: SchemaObject }> };
        }
      >
    >;
    components: { schemas: Record<string, SchemaObject> };
  };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const ref = op.requestBody?.content['application/json']?.schema;
      return {
        method: method as Method,
        path,
        call: `${method.toUpperCase()} ${path}`,
        // Public operations say so with `security: []`; the others inherit or name bearer.
        public: op.security !== undefined && op.security.length === 0,
        body: ref ? resolve(ref, doc.components.schemas) : undefined,
        parameters: op.parameters ?? [],
        schemas: doc.components.schemas,
      };
    }),
  );
}

/** The schema a `$ref` (or a lone `allOf: [{$ref}]`, how a described nested DTO is written) points at. */
/** The staff writes that take a JSON body: what the generated body suites send to. */
export function writesWithBody(operations: Operation[]): Operation[] {
  return operations.filter((op) => !op.public && ['post', 'put', 'patch'].includes(op.method) && op.body);
}

export function resolve(schema: SchemaObject, schemas: Record<string, SchemaObject>): SchemaObject {
  if (schema.allOf?.length === 1) {
    const { allOf, ...own } = schema;
    return { ...resolve(allOf[0], schemas), ...own };
  }
  return schema.$ref ? (schemas[schema.$ref.split('/').pop()!] ?? {}) : schema;
}

/**
 * What the route decorators say about each handler, keyed like OpenAPI ("POST /api/v1/x/{id}"):
 * public or not, and the roles besides admin that may call it (undefined = any staff role).
 */
export function declaredAccess(t: TestApp): Map<string, { public: boolean; roles: Role[] | undefined }> {
  const access = new Map<string, { public: boolean; roles: Role[] | undefined }>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      const base = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat()[0] ?? '';
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const sub = [Reflect.getMetadata(PATH_METADATA, handler) as string | string[]].flat()[0] ?? '';
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`
          .replace(/\/+/g, '/')
          .replace(/:(\w+)/g, '{$1}');
        const pick = <T>(key: string) =>
          (Reflect.getMetadata(key, handler) as T | undefined) ??
          (Reflect.getMetadata(key, controller) as T | undefined);
        access.set(`${RequestMethod[method]} ${path}`, {
          public: pick<boolean>(PUBLIC_ROUTE) === true,
          roles: pick<Role[]>(REQUIRED_ROLES),
        });
      }
    }
  }
  return access;
}

/** Real ids for every path parameter the API uses, created through the API. */
export interface World {
  staffId: string;
  serviceId: string;
  customerId: string;
  contactId: string;
  incidentId: string;
  participantId: string;
  notificationId: string;
  stepId: string;
  supportRef: string;
}

export async function buildWorld(t: TestApp): Promise<World> {
  const as = (auth: string) => ({ Authorization: auth });
  const staff = await t.http
    .post('/api/v1/staff')
    .set(as(t.admin))
    .send({ name: 'Fuzz target', email: 'fuzz.target@example.com' })
    .expect(201);
  const service = await createService(t, 'hostile-gw', 'Hostile gateway');
  const customer = await createCustomer(t, [service.id], 'en');
  const incident = await declareIncident(t, t.admin, { serviceIds: [service.id], severity: 2 });
  const participant = await t.http
    .post(`/api/v1/incidents/${incident.id}/participants`)
    .set(as(t.admin))
    .send({ staffMemberId: staff.body.id, role: 'sme', domain: 'AS2 protocol' })
    .expect(201);
  await t.http.post(`/api/v1/incidents/${incident.id}/impact`).set(as(t.admin)).expect(200);
  const notices = await t.http
    .get(`/api/v1/incidents/${incident.id}/notifications`)
    .set(as(t.admin))
    .expect(200);
  const step = await t.http
    .post(`/api/v1/incidents/${incident.id}/plan/steps`)
    .set(as(t.admin))
    .send({ title: 'Roll back the gateway certificate' })
    .expect(201);
  const request = await t.http
    .post('/api/v1/support-requests')
    .set(as(t.admin))
    .send({
      company: customer.name,
      contactName: 'EDI operations manager',
      contactEmail: 'edi-ops@logistics.example.com',
      submissionMethod: 'email',
      description: 'Invoices are not reaching the partner',
    })
    .expect(201);
  return {
    staffId: staff.body.id,
    serviceId: service.id,
    customerId: customer.id,
    contactId: customer.contacts[0].id,
    incidentId: incident.id,
    participantId: participant.body.id,
    notificationId: notices.body.items[0].id,
    stepId: step.body.id,
    supportRef: request.body.reference,
  };
}

/** The path with every parameter replaced by the real id of its kind (extend World for new kinds). */
export function realPath(path: string, world: World): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    switch (name) {
      case 'contactId':
        return world.contactId;
      case 'participantId':
        return world.participantId;
      case 'notificationId':
        return world.notificationId;
      case 'sid':
        return world.stepId;
      case 'ref':
        return world.supportRef;
      case 'id':
        if (path.startsWith('/api/v1/staff/')) return world.staffId;
        if (path.startsWith('/api/v1/services/')) return world.serviceId;
        if (path.startsWith('/api/v1/customers/')) return world.customerId;
        if (path.startsWith('/api/v1/incidents/')) return world.incidentId;
        // Tokens: a valid UUID that names nothing (revoking a real token would lock callers out).
        return '00000000-0000-4000-8000-000000000000';
      default:
        // A parameter this world does not create yet (an endpoint added later): well-formed,
        // naming nothing, so the guard, validation and 404 paths are still exercised.
        return '00000000-0000-4000-8000-000000000000';
    }
  });
}
