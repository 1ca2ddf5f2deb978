import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { UuidParam } from '../common/uuid-param';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { ApiPageResponse, Page, PageQuery } from '../common/pagination';
import { IsOptionalNotNull, IsoDateTime } from '../common/validation';
import { ApiToken } from './api-token.entity';
import { Roles } from './auth.decorators';
import { ROLES, Role } from './roles';
import { TokensService } from './tokens.service';

export class CreateTokenDto {
  @ApiProperty({ format: 'uuid', description: 'The staff member who will own the token' })
  @IsUUID()
  staffMemberId: string;

  @ApiProperty({ example: 'laptop of the on-call commander' })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['commander'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ROLES, { each: true })
  roles: Role[];

  @ApiPropertyOptional({ description: 'In the future; default: never expires' })
  @IsOptionalNotNull()
  // Far ahead: Swagger UI's own sample would be "now", already past when it arrives.
  @IsoDateTime({ example: '2030-01-01T09:00:00Z' })
  expiresAt?: Date;
}

export class TokenView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) staffMemberId: string;
  @ApiProperty() staffMemberName: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'First characters of the secret' }) prefix: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty() createdAt: Date;
  @ApiProperty({ nullable: true, type: Date }) expiresAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;

  static of(token: ApiToken): TokenView {
    return {
      id: token.id,
      staffMemberId: token.staffMemberId,
      staffMemberName: token.staffMember?.name ?? '',
      name: token.name,
      prefix: token.prefix,
      roles: token.roles,
      createdAt: token.createdAt,
      expiresAt: token.expiresAt,
      lastUsedAt: token.lastUsedAt,
      revokedAt: token.revokedAt,
    };
  }
}

export class IssuedTokenView extends TokenView {
  @ApiProperty({ description: 'The bearer secret. Shown only in this response.' }) token: string;
}

@ApiTags('access')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post()
  @ApiOperation({ summary: 'Issue a bearer token to a staff member (the secret is returned once)' })
  @ApiCreatedResponse({ type: IssuedTokenView })
  async create(@Body() body: CreateTokenDto): Promise<IssuedTokenView> {
    const { token, secret } = await this.tokens.issue(body);
    return { ...TokenView.of(token), token: secret };
  }

  @Get()
  @ApiOperation({ summary: 'List tokens, oldest first, revoked ones included (never their secrets)' })
  @ApiPageResponse(TokenView)
  async list(@Query() page: PageQuery): Promise<Page<TokenView>> {
    const result = await this.tokens.list(page.limit, page.offset);
    return { ...result, items: result.items.map(TokenView.of) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a token' })
  async revoke(@UuidParam() id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
