import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsString, Length } from 'class-validator';
import { StaffMember } from './staff-member.entity';
import { IsOptionalNotNull, Nullable } from '../common/validation';

export class CreateStaffMemberDto {
  @ApiProperty({ example: 'Duty incident commander' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ example: 'commander@example.com' })
  @IsEmail()
  @Length(3, 254)
  email: string;

  @ApiPropertyOptional({ example: '+33 1 00 00 00 01' })
  @IsOptionalNotNull()
  @IsString()
  @Length(3, 40)
  phone?: string;
}

export class UpdateStaffMemberDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ example: 'commander@example.com' })
  @IsOptionalNotNull()
  @IsEmail()
  @Length(3, 254)
  email?: string;
  @ApiPropertyOptional({ type: String, example: '+33 1 00 00 00 01', description: 'null clears it' })
  @Nullable()
  @IsString()
  @Length(3, 40)
  phone?: string | null;
  @ApiPropertyOptional({ description: 'Inactive staff keep their history but their tokens stop working' })
  @IsOptionalNotNull()
  @IsBoolean()
  active?: boolean;
}

export class StaffMemberView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;

  static of(staff: StaffMember): StaffMemberView {
    const { id, name, email, phone, active, createdAt, updatedAt } = staff;
    return { id, name, email, phone, active, createdAt, updatedAt };
  }
}
