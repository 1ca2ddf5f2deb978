import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { IntegerField, IsOptionalNotNull, Nullable } from '../common/validation';
import type { EscalationReason } from './domain/escalation-policy';
import { Escalation, EscalationLevel } from './escalation.entity';

export class ChainLevelDto {
  @ApiProperty({ description: 'Position in the chain: 1 is called first' })
  @IntegerField({ min: 1, max: 20 })
  level: number;

  @ApiProperty({ example: 'Support supervisor' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ example: 'Support supervisor on duty' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'support-supervisor@example.com' })
  @IsEmail()
  @Length(3, 254)
  email: string;

  @ApiPropertyOptional({ type: String, example: '+33 1 00 00 00 03' })
  @Nullable()
  @IsString()
  @Length(3, 40)
  phone?: string | null;
}

export class ReplaceChainDto {
  @ApiProperty({ type: [ChainLevelDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChainLevelDto)
  levels: ChainLevelDto[];
}

export class EscalateDto {
  @ApiProperty({ example: 'Partner cannot send invoices; month-end closing at risk' })
  @IsString()
  @Length(1, 2000)
  reason: string;

  @ApiPropertyOptional({
    description: 'Support records a customer’s escalation on its behalf',
    example: 'Example Retail Ltd',
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 200)
  onBehalfOfCustomer?: string;
}

export class ChainLevelView {
  @ApiProperty() level: number;
  @ApiProperty() title: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;

  static of(l: EscalationLevel): ChainLevelView {
    return { level: l.level, title: l.title, name: l.name, email: l.email, phone: l.phone };
  }
}

export class EscalationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() level: number;
  @ApiProperty() levelTitle: string;
  @ApiProperty() contactName: string;
  @ApiProperty({
    enum: ['response_target_missed', 'resolution_at_risk', 'resolution_breached', 'manual', 'customer'],
  })
  reason: EscalationReason;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ nullable: true, type: Date }) dueAt: Date | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() late: boolean;

  static of(e: Escalation): EscalationView {
    return {
      id: e.id,
      level: e.level,
      levelTitle: e.levelTitle,
      contactName: e.contactName,
      reason: e.reason,
      note: e.note,
      requestedBy: e.requestedByName,
      dueAt: e.dueAt,
      createdAt: e.createdAt,
      late: e.late,
    };
  }
}
