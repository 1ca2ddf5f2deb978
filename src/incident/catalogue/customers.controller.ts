import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators';
import { ApiPageResponse, ApiWholeListResponse, Page } from '../../common/pagination';
import { UuidParam } from '../../common/uuid-param';
import {
  ContactView,
  CreateContactDto,
  CreateCustomerDto,
  CustomerQuery,
  CustomerView,
  UpdateContactDto,
  UpdateCustomerDto,
} from './catalogue.dto';
import { CatalogueService } from './catalogue.service';

/** Customers, their contacts and their service subscriptions (which decide who an incident impacts). */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class CustomersController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Post()
  @Roles('commander')
  @ApiOperation({ summary: 'Add a customer, optionally with contacts and subscriptions' })
  async create(@Body() body: CreateCustomerDto): Promise<CustomerView> {
    return CustomerView.of(await this.catalogue.createCustomer(body));
  }

  @Get()
  @ApiOperation({ summary: 'List customers (filter by name or subscribed service)' })
  @ApiPageResponse(CustomerView)
  async list(@Query() query: CustomerQuery): Promise<Page<CustomerView>> {
    const result = await this.catalogue.listCustomers(query);
    return { ...result, items: result.items.map(CustomerView.of) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a customer with its contacts and subscriptions' })
  @ApiOkResponse({ type: CustomerView })
  async get(@UuidParam() id: string): Promise<CustomerView> {
    return CustomerView.of(await this.catalogue.getCustomer(id));
  }

  @Patch(':id')
  @Roles('commander')
  @ApiOperation({ summary: 'Edit a customer; serviceIds replaces its subscriptions' })
  async update(@UuidParam() id: string, @Body() body: UpdateCustomerDto): Promise<CustomerView> {
    return CustomerView.of(await this.catalogue.updateCustomer(id, body));
  }

  @Post(':id/contacts')
  @Roles('commander')
  @ApiOperation({ summary: 'Add a contact to a customer' })
  async addContact(@UuidParam() id: string, @Body() body: CreateContactDto): Promise<ContactView> {
    const contact = await this.catalogue.addContact(id, body);
    const customer = await this.catalogue.getCustomer(id);
    return ContactView.of(contact, customer.language);
  }

  @Get(':id/contacts')
  @ApiOperation({ summary: "List a customer's contacts" })
  @ApiWholeListResponse(ContactView, 'the contacts of one customer, the same set GET /customers/{id} embeds')
  async listContacts(@UuidParam() id: string): Promise<ContactView[]> {
    const { customer, contacts } = await this.catalogue.listContacts(id);
    return contacts.map((c) => ContactView.of(c, customer.language));
  }

  @Patch(':id/contacts/:contactId')
  @Roles('commander')
  @ApiOperation({ summary: 'Edit a contact (receivesNotices: false stops notices to it)' })
  async updateContact(
    @UuidParam() id: string,
    @UuidParam('contactId') contactId: string,
    @Body() body: UpdateContactDto,
  ): Promise<ContactView> {
    const contact = await this.catalogue.updateContact(id, contactId, body);
    const customer = await this.catalogue.getCustomer(id);
    return ContactView.of(contact, customer.language);
  }
}
