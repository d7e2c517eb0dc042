import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { STRATA_CONFIG, type StrataConfig } from '../../application/config.js';
import { CountEventsQuery } from '../../application/queries/catalog.queries.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(STRATA_CONFIG) private readonly config: StrataConfig,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The server is up and its event store answers.' })
  async health() {
    const events = await this.queries.execute(new CountEventsQuery());
    return { status: 'ok', store: this.config.store, events };
  }
}
