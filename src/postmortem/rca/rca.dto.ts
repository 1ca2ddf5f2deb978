import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { INT4_MAX, IntegerField, IsOptionalNotNull, QueryInteger } from '../../common/validation';
import { RCA_LANGUAGES, RcaLanguage } from './rca-labels';
import type { RcaEdition } from './rca-view';

export class GenerateRcaDto {
  @ApiPropertyOptional({
    description: 'What this version corrects; required from version 2 on',
    example: 'The duration now counts from the first customer report',
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 2000)
  correctionNote?: string;
}

export class PublishRcaDto {
  @ApiPropertyOptional({ description: 'The version to publish; defaults to the latest' })
  @IsOptionalNotNull()
  @IntegerField({ min: 1, max: INT4_MAX })
  version?: number;

  @ApiProperty({
    description: 'Also send the customer edition to every impacted customer now (RCA copies)',
  })
  @IsBoolean()
  sendToImpactedCustomers: boolean;
}

export class RcaDocumentQuery {
  @ApiPropertyOptional({ description: 'Defaults to the latest version' })
  @IsOptionalNotNull()
  @QueryInteger({ min: 1, max: INT4_MAX })
  version?: number;

  @ApiPropertyOptional({
    enum: ['internal', 'customer'],
    default: 'internal',
    description: 'internal: everything; customer: what one impacted customer reads (needs customerId)',
  })
  @IsOptionalNotNull()
  @IsIn(['internal', 'customer'])
  edition: RcaEdition = 'internal';

  @ApiPropertyOptional({
    enum: RCA_LANGUAGES,
    description: "Defaults to the customer's language (customer edition) or en",
  })
  @IsOptionalNotNull()
  @IsIn(RCA_LANGUAGES)
  lang?: RcaLanguage;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Customer edition: the impacted customer it is for (its own name stays, others are redacted)',
  })
  @IsOptionalNotNull()
  @IsUUID('all')
  customerId?: string;
}
