import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProjectionStatusQuery } from '../../application/queries/catalog.queries.js';

@ApiTags('projections')
@Controller('projections')
export class ProjectionsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOkResponse({ description: 'Each projection with its checkpoint and lag behind the log.' })
  status() {
    return this.queries.execute(new ProjectionStatusQuery());
  }
}
