import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { RCA_LANGUAGES, RcaLanguage } from './rca-labels';
import type { RcaEdition } from './rca-view';

export class GenerateRcaDto {
  @ApiPropertyOptional({
    description: 'What this version corrects; required from version 2 on',
    example: 'The duration now counts from the first customer report',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  correctionNote?: string;
}

export class PublishRcaDto {
  @ApiPropertyOptional({ minimum: 1, description: 'The version to publish; defaults to the latest' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;

  @ApiProperty({
    description: 'Also send the customer edition to every impacted customer now (RCA copies)',
  })
  @IsBoolean()
  sendToImpactedCustomers: boolean;
}

export class RcaDocumentQuery {
  @ApiPropertyOptional({ minimum: 1, description: 'Defaults to the latest version' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version?: number;

  @ApiPropertyOptional({
    enum: ['internal', 'customer'],
    default: 'internal',
    description: 'internal: everything; customer: what one impacted customer reads (needs customerId)',
  })
  @IsOptional()
  @IsIn(['internal', 'customer'])
  edition: RcaEdition = 'internal';

  @ApiPropertyOptional({
    enum: RCA_LANGUAGES,
    description: "Defaults to the customer's language (customer edition) or en",
  })
  @IsOptional()
  @IsIn(RCA_LANGUAGES)
  lang?: RcaLanguage;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'Customer edition: the impacted customer it is for (its own name stays, others are redacted)',
  })
  @IsOptional()
  @IsUUID('all')
  customerId?: string;
}
