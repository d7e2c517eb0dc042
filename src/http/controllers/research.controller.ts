import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CodeEventsCommand, PublishCodebookCommand } from '../../application/commands/coding.commands.js';
import { AttachEvidenceCommand, RecodeEventCommand, RetractEventCommand } from '../../application/commands/corrections.commands.js';
import { CodebookDto, CodingDto, EvidenceDto, RecodeDto, RetractDto } from '../../application/dto/research.dto.js';
import { ReplayQuery } from '../../application/queries/replay.query.js';
import { AgreementQuery, FindEvidenceQuery, GetCodebookQuery, GetEventHistoryQuery } from '../../application/queries/research.queries.js';
import { InvalidInputError } from '../../domain/errors.js';

@ApiTags('research workflow')
@Controller()
export class ResearchController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('events/:eventId/recode')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'An event-recoded event was appended; the original stays in the log.' })
  @ApiBadRequestResponse({ description: 'A field is invalid for the event as it would read after the recode.' })
  @ApiNotFoundResponse({ description: 'No such event.' })
  recode(@Param('eventId') eventId: string, @Body() dto: RecodeDto) {
    const { reason, coder, ...changes } = dto;
    const present = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    return this.commands.execute(new RecodeEventCommand(eventId, present, reason, coder));
  }

  @Post('events/:eventId/retract')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The event is withdrawn from timelines and reports from now on.' })
  retract(@Param('eventId') eventId: string, @Body() dto: RetractDto) {
    return this.commands.execute(new RetractEventCommand(eventId, dto.reason));
  }

  @Post('events/:eventId/evidence')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'Sources attached.' })
  attachEvidence(@Param('eventId') eventId: string, @Body() dto: EvidenceDto) {
    return this.commands.execute(new AttachEvidenceCommand(eventId, dto.sources.map((s) => ({ ...s }))));
  }

  @Post('events/:eventId/codings')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'An independent coding by another researcher; the timeline is unchanged.' })
  code(@Param('eventId') eventId: string, @Body() dto: CodingDto) {
    return this.commands.execute(
      new CodeEventsCommand(dto.coder, [{ line: 1, eventId, mode: dto.mode, orientation: dto.orientation, ...(dto.note ? { note: dto.note } : {}) }]),
    );
  }

  @Get('events/:eventId/history')
  @ApiOkResponse({ description: 'The event as logged and every correction, evidence and coding since, with who and when.' })
  history(@Param('eventId') eventId: string) {
    return this.queries.execute(new GetEventHistoryQuery(eventId));
  }

  @Get('evidence')
  @ApiQuery({ name: 'ref', required: false, description: 'Source reference, e.g. INT-07.' })
  @ApiQuery({ name: 'informant', required: false })
  @ApiQuery({ name: 'study', required: false })
  findEvidence(@Query('ref') ref?: string, @Query('informant') informant?: string, @Query('study') study?: string) {
    return this.queries.execute(new FindEvidenceQuery(ref || undefined, informant || undefined, study || undefined));
  }

  @Get('agreement')
  @ApiQuery({ name: 'coders', required: true, description: 'Two coders, comma-separated: ann,bo' })
  @ApiQuery({ name: 'firm', required: false })
  @ApiQuery({ name: 'study', required: false })
  agreement(@Query('coders') coders = '', @Query('firm') firm?: string, @Query('study') study?: string) {
    const [a, b, ...rest] = coders.split(',').map((s) => s.trim());
    if (!a || !b || rest.length) throw InvalidInputError.field('coders', 'must name two coders separated by a comma');
    return this.queries.execute(new AgreementQuery(a, b, firm || undefined, study || undefined));
  }

  @Get('studies/:study/codebook')
  @ApiQuery({ name: 'knownAt', required: false })
  codebook(@Param('study') study: string, @Query('knownAt') knownAt?: string) {
    return this.queries.execute(new GetCodebookQuery(study, knownAt || undefined));
  }

  @Post('studies/:study/codebook')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'A new codebook version was published.' })
  publishCodebook(@Param('study') study: string, @Body() dto: CodebookDto) {
    return this.commands.execute(new PublishCodebookCommand(study, dto.codebook, dto.note));
  }

  @Get('firms/:firm/replay')
  @ApiQuery({ name: 'period', required: false, enum: ['month', 'quarter', 'year'] })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'knownAt', required: false })
  replay(@Param('firm') firm: string, @Query('period') period = 'quarter', @Query('asOf') asOf?: string, @Query('knownAt') knownAt?: string) {
    if (!['month', 'quarter', 'year'].includes(period)) throw InvalidInputError.field('period', 'must be month, quarter or year');
    return this.queries.execute(new ReplayQuery(firm, asOf || undefined, knownAt || undefined, { granularity: period as 'month' }));
  }
}
