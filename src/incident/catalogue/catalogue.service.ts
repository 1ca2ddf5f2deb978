import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { lockName } from '../../common/advisory-lock';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain-error';
import { Page } from '../../common/pagination';
import {
  CreateContactDto,
  CreateCustomerDto,
  CreateServiceDto,
  CustomerQuery,
  UpdateContactDto,
  UpdateCustomerDto,
  UpdateServiceDto,
} from './catalogue.dto';
import { Customer, CustomerContact } from './customer.entity';
import { escapeLike } from '../../common/query-params';
import { ServiceEntity } from './service.entity';

/**
 * Loads the services named by `ids`, or fails with a 400 naming the first unknown one
 * (`serviceIds[2]`), so nothing is stored with a dangling reference.
 */
export async function resolveServices(
  em: EntityManager,
  ids: string[],
  field = 'serviceIds',
): Promise<ServiceEntity[]> {
  const unique = [...new Set(ids)];
  const found = unique.length ? await em.getRepository(ServiceEntity).findBy({ id: In(unique) }) : [];
  const missing = ids.findIndex((id) => !found.some((s) => s.id === id));
  if (missing >= 0) {
    throw ValidationError.field(
      `${field}[${missing}]`,
      'exists',
      `${field}[${missing}] ${ids[missing]} is not a known service`,
    );
  }
  return found;
}

/** Services (platforms, applications) and customers with their contacts and subscriptions. */
@Injectable()
export class CatalogueService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  createService(input: CreateServiceDto): Promise<ServiceEntity> {
    return this.db.transaction(async (em) => {
      await lockName(em, `service:${input.key}`);
      if (await em.getRepository(ServiceEntity).existsBy({ key: input.key })) {
        throw new ConflictError('service.key_taken', `A service with key ${input.key} already exists`);
      }
      return em
        .getRepository(ServiceEntity)
        .save({ key: input.key, name: input.name, description: input.description ?? null });
    });
  }

  async listServices(limit: number, offset: number): Promise<Page<ServiceEntity>> {
    const [items, total] = await this.db
      .getRepository(ServiceEntity)
      .findAndCount({ order: { name: 'ASC', id: 'ASC' }, take: limit, skip: offset });
    return { items, total, limit, offset };
  }

  async getService(id: string): Promise<ServiceEntity> {
    const service = await this.db.getRepository(ServiceEntity).findOneBy({ id });
    if (!service) throw new NotFoundError('service', id);
    return service;
  }

  async updateService(id: string, input: UpdateServiceDto): Promise<ServiceEntity> {
    const service = await this.getService(id);
    Object.assign(service, input);
    return this.db.getRepository(ServiceEntity).save(service);
  }

  createCustomer(input: CreateCustomerDto): Promise<Customer> {
    return this.db.transaction(async (em) => {
      await this.assertCustomerNameFree(em, input.name);
      const services = await resolveServices(em, input.serviceIds ?? []);
      assertDistinctEmails(input.contacts ?? []);
      const customer = await em
        .getRepository(Customer)
        .save({ name: input.name, language: input.language, services });
      for (const contact of input.contacts ?? []) await this.insertContact(em, customer.id, contact);
      return this.loadCustomer(em, customer.id);
    });
  }

  async listCustomers(query: CustomerQuery): Promise<Page<Customer>> {
    const qb = this.db.getRepository(Customer).createQueryBuilder('c');
    if (query.q) qb.andWhere('c.name ILIKE :q', { q: `%${escapeLike(query.q)}%` });
    if (query.serviceId) {
      qb.andWhere(
        new Brackets((w) =>
          w.where(
            'EXISTS (SELECT 1 FROM customer_subscriptions s WHERE s.customer_id = c.id AND s.service_id = :sid)',
            {
              sid: query.serviceId,
            },
          ),
        ),
      );
    }
    const [page, total] = await qb
      .orderBy('c.name')
      .addOrderBy('c.id')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    const ids = page.map((c) => c.id);
    const items = ids.length
      ? await this.db.getRepository(Customer).find({
          where: { id: In(ids) },
          relations: { contacts: true, services: true },
          order: { name: 'ASC', id: 'ASC' },
        })
      : [];
    return { items, total, limit: query.limit, offset: query.offset };
  }

  getCustomer(id: string): Promise<Customer> {
    return this.loadCustomer(this.db.manager, id);
  }

  updateCustomer(id: string, input: UpdateCustomerDto): Promise<Customer> {
    return this.db.transaction(async (em) => {
      const customer = await this.lockCustomer(em, id);
      if (input.name && input.name.toLowerCase() !== customer.name.toLowerCase()) {
        await this.assertCustomerNameFree(em, input.name);
      }
      if (input.serviceIds) {
        customer.services = await resolveServices(em, input.serviceIds);
      }
      if (input.name) customer.name = input.name;
      if (input.language) customer.language = input.language;
      await em.getRepository(Customer).save(customer);
      return this.loadCustomer(em, id);
    });
  }

  addContact(customerId: string, input: CreateContactDto): Promise<CustomerContact> {
    return this.db.transaction(async (em) => {
      await this.lockCustomer(em, customerId);
      await this.assertContactEmailFree(em, customerId, input.email);
      return this.insertContact(em, customerId, input);
    });
  }

  async listContacts(customerId: string): Promise<{ customer: Customer; contacts: CustomerContact[] }> {
    const customer = await this.loadCustomer(this.db.manager, customerId);
    return { customer, contacts: customer.contacts ?? [] };
  }

  updateContact(customerId: string, contactId: string, input: UpdateContactDto): Promise<CustomerContact> {
    return this.db.transaction(async (em) => {
      await this.lockCustomer(em, customerId);
      const contact = await em.getRepository(CustomerContact).findOneBy({ id: contactId, customerId });
      if (!contact) throw new NotFoundError('contact', contactId);
      if (input.email && input.email.toLowerCase() !== contact.email.toLowerCase()) {
        await this.assertContactEmailFree(em, customerId, input.email);
      }
      Object.assign(contact, input);
      return em.getRepository(CustomerContact).save(contact);
    });
  }

  private insertContact(
    em: EntityManager,
    customerId: string,
    input: CreateContactDto,
  ): Promise<CustomerContact> {
    return em.getRepository(CustomerContact).save({
      customerId,
      name: input.name,
      email: input.email,
      phone: input.phone ?? null,
      language: input.language ?? null,
      receivesNotices: input.receivesNotices ?? true,
    });
  }

  private async loadCustomer(em: EntityManager, id: string): Promise<Customer> {
    const customer = await em
      .getRepository(Customer)
      .findOne({ where: { id }, relations: { contacts: true, services: true } });
    if (!customer) throw new NotFoundError('customer', id);
    return customer;
  }

  /** Row lock on the customer: concurrent edits of one customer and its contacts go one at a time. */
  private async lockCustomer(em: EntityManager, id: string): Promise<Customer> {
    const customer = await em
      .getRepository(Customer)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!customer) throw new NotFoundError('customer', id);
    return em.getRepository(Customer).findOneOrFail({ where: { id }, relations: { services: true } });
  }

  private async assertCustomerNameFree(em: EntityManager, name: string): Promise<void> {
    await lockName(em, `customer:${name.toLowerCase()}`);
    const taken = await em
      .getRepository(Customer)
      .createQueryBuilder('c')
      .where('lower(c.name) = lower(:name)', { name })
      .getExists();
    if (taken) throw new ConflictError('customer.name_taken', `A customer named ${name} already exists`);
  }

  private async assertContactEmailFree(em: EntityManager, customerId: string, email: string): Promise<void> {
    const taken = await em
      .getRepository(CustomerContact)
      .createQueryBuilder('c')
      .where('c.customer_id = :customerId AND lower(c.email) = lower(:email)', { customerId, email })
      .getExists();
    if (taken)
      throw new ConflictError(
        'contact.email_taken',
        `This customer already has a contact with e-mail ${email}`,
      );
  }
}

function assertDistinctEmails(contacts: CreateContactDto[]): void {
  const seen = new Map<string, number>();
  contacts.forEach((contact, index) => {
    const key = contact.email.toLowerCase();
    if (seen.has(key)) {
      throw ValidationError.field(
        `contacts[${index}].email`,
        'unique',
        `contacts[${index}].email repeats contacts[${seen.get(key)}].email`,
      );
    }
    seen.set(key, index);
  });
}
