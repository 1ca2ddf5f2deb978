import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/auth.decorators';
import { ApiPageResponse, Page, PageQuery } from '../../common/pagination';
import { UuidParam } from '../../common/uuid-param';
import { CreateServiceDto, ServiceView, UpdateServiceDto } from './catalogue.dto';
import { CatalogueService } from './catalogue.service';

@ApiTags('services')
@ApiBearerAuth()
@Controller('api/v1/services')
export class ServicesController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Post()
  @Roles('commander')
  @ApiOperation({ summary: 'Add a service (platform or application) to the catalogue' })
  async create(@Body() body: CreateServiceDto): Promise<ServiceView> {
    return ServiceView.of(await this.catalogue.createService(body));
  }

  @Get()
  @ApiOperation({ summary: 'List services' })
  @ApiPageResponse(ServiceView)
  async list(@Query() page: PageQuery): Promise<Page<ServiceView>> {
    const result = await this.catalogue.listServices(page.limit, page.offset);
    return { ...result, items: result.items.map(ServiceView.of) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a service' })
  @ApiOkResponse({ type: ServiceView })
  async get(@UuidParam() id: string): Promise<ServiceView> {
    return ServiceView.of(await this.catalogue.getService(id));
  }

  @Patch(':id')
  @Roles('commander')
  @ApiOperation({ summary: 'Rename or describe a service' })
  async update(@UuidParam() id: string, @Body() body: UpdateServiceDto): Promise<ServiceView> {
    return ServiceView.of(await this.catalogue.updateService(id, body));
  }
}
