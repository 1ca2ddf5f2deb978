import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { Customer, CustomerContact } from './customer.entity';
import { ServiceEntity } from './service.entity';
import { IsOptionalNotNull, Nullable } from '../../common/validation';

/** ISO 639-1 language code; en, fr, de, it and es have complete texts, others fall back to en. */
const LANGUAGE = /^[a-z]{2}$/;

export class CreateServiceDto {
  @ApiProperty({ example: 'as2-gateway', description: 'Stable slug: lower-case letters, digits and dashes' })
  @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, {
    message: 'key must be a slug of lower-case letters, digits and dashes',
  })
  key: string;

  @ApiProperty({ example: 'AS2 gateway' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsString()
  @Length(0, 2000)
  description?: string;
}

export class UpdateServiceDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: String, description: 'null clears it' })
  @Nullable()
  @IsString()
  @Length(0, 2000)
  description?: string | null;
}

export class ServiceView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;

  static of(service: ServiceEntity): ServiceView {
    return { id: service.id, key: service.key, name: service.name, description: service.description };
  }
}

export class CreateContactDto {
  @ApiProperty({ example: 'Head of IT operations' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'it-ops@customer.example.com' })
  @IsEmail()
  @Length(3, 254)
  email: string;

  @ApiPropertyOptional({ example: '+33 1 00 00 00 02' })
  @IsOptionalNotNull()
  @IsString()
  @Length(3, 40)
  phone?: string;

  @ApiPropertyOptional({ example: 'fr', description: "Defaults to the customer's language" })
  @IsOptionalNotNull()
  @Matches(LANGUAGE, { message: 'language must be a two-letter ISO 639-1 code such as fr or en' })
  language?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptionalNotNull()
  @IsBoolean()
  receivesNotices?: boolean;
}

export class UpdateContactDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: 'it-ops@customer.example.com' })
  @IsOptionalNotNull()
  @IsEmail()
  @Length(3, 254)
  email?: string;
  @ApiPropertyOptional({ type: String, example: '+33 1 00 00 00 02', description: 'null clears it' })
  @Nullable()
  @IsString()
  @Length(3, 40)
  phone?: string | null;
  @ApiPropertyOptional({ type: String, example: 'fr', description: "null: the customer's language" })
  @Nullable()
  @Matches(LANGUAGE, { message: 'language must be a two-letter ISO 639-1 code such as fr or en' })
  language?: string | null;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() receivesNotices?: boolean;
}

export class CreateCustomerDto {
  @ApiProperty({ example: 'Example Logistics SA' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'fr' })
  @Matches(LANGUAGE, { message: 'language must be a two-letter ISO 639-1 code such as fr or en' })
  language: string;

  @ApiPropertyOptional({ type: [CreateContactDto] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CreateContactDto)
  contacts?: CreateContactDto[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Services the customer subscribes to' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  serviceIds?: string[];
}

export class UpdateCustomerDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: 'fr' })
  @IsOptionalNotNull()
  @Matches(LANGUAGE, { message: 'language must be a two-letter ISO 639-1 code such as fr or en' })
  language?: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the subscriptions' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  serviceIds?: string[];
}

export class CustomerQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Name contains (case-insensitive)' })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only customers subscribed to this service' })
  @IsOptionalNotNull()
  @IsUUID()
  serviceId?: string;
}

export class ContactView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) customerId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ description: "The contact's own language, or the customer's" }) language: string;
  @ApiProperty() receivesNotices: boolean;

  static of(contact: CustomerContact, customerLanguage: string): ContactView {
    return {
      id: contact.id,
      customerId: contact.customerId,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      language: contact.language ?? customerLanguage,
      receivesNotices: contact.receivesNotices,
    };
  }
}

export class CustomerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() language: string;
  @ApiProperty({ type: [ContactView] }) contacts: ContactView[];
  @ApiProperty({ type: [ServiceView] }) services: ServiceView[];
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(customer: Customer): CustomerView {
    return {
      id: customer.id,
      name: customer.name,
      language: customer.language,
      contacts: (customer.contacts ?? [])
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.email.localeCompare(b.email))
        .map((c) => ContactView.of(c, customer.language)),
      services: (customer.services ?? []).sort((a, b) => a.name.localeCompare(b.name)).map(ServiceView.of),
      createdAt: customer.createdAt,
      updatedAt: customer.updatedAt,
    };
  }
}
