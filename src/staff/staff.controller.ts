import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiPageResponse, Page, PageQuery } from '../common/pagination';
import { UuidParam } from '../common/uuid-param';
import { CreateStaffMemberDto, StaffMemberView, UpdateStaffMemberDto } from './staff.dto';
import { StaffService } from './staff.service';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('api/v1/staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a staff member' })
  async create(@Body() body: CreateStaffMemberDto): Promise<StaffMemberView> {
    return StaffMemberView.of(await this.staff.create(body));
  }

  @Get()
  @ApiOperation({ summary: 'List staff members' })
  @ApiPageResponse(StaffMemberView)
  async list(@Query() page: PageQuery): Promise<Page<StaffMemberView>> {
    const result = await this.staff.list(page.limit, page.offset);
    return { ...result, items: result.items.map(StaffMemberView.of) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a staff member' })
  @ApiOkResponse({ type: StaffMemberView })
  async get(@UuidParam() id: string): Promise<StaffMemberView> {
    return StaffMemberView.of(await this.staff.get(id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Edit or deactivate a staff member' })
  async update(@UuidParam() id: string, @Body() body: UpdateStaffMemberDto): Promise<StaffMemberView> {
    return StaffMemberView.of(await this.staff.update(id, body));
  }
}
