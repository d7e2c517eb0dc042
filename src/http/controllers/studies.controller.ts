import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CreateStudyCommand } from '../../application/commands/study-and-firm.commands.js';
import { CreateStudyDto } from '../../application/dto/catalog.dto.js';
import { ListStudiesQuery } from '../../application/queries/catalog.queries.js';

@ApiTags('studies')
@Controller('studies')
export class StudiesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The study was created.' })
  @ApiBadRequestResponse({ description: 'A field is invalid; `errors` names it.' })
  @ApiConflictResponse({ description: 'A study with this id exists.' })
  create(@Body() dto: CreateStudyDto) {
    return this.commands.execute(new CreateStudyCommand(dto.id, dto.name, dto.description));
  }

  @Get()
  @ApiOkResponse({ description: 'Every study with its number of firms.' })
  list() {
    return this.queries.execute(new ListStudiesQuery());
  }
}
