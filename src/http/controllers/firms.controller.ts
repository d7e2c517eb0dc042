import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  OmitType,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { DeclarePhaseCommand, LogEventCommand } from '../../application/commands/log-event.commands.js';
import { RegisterFirmCommand } from '../../application/commands/study-and-firm.commands.js';
import { DeclarePhaseDto, RegisterFirmDto } from '../../application/dto/catalog.dto.js';
import { EventInputDto } from '../../application/dto/event-input.dto.js';
import { GetFirmQuery, ListFirmsQuery } from '../../application/queries/catalog.queries.js';
import { GetReportQuery, REPORT_FORMATS } from '../../application/queries/report.query.js';
import { GetTimelineQuery } from '../../application/queries/timeline.query.js';
import { GetTracksQuery } from '../../application/queries/tracks.query.js';
import { InvalidInputError } from '../../domain/errors.js';
import { SLUG_PATTERN } from '../../domain/vocabulary.js';

/** An event posted to a firm's route: `firm` may be left out (the route names it). */
export class FirmEventBodyDto extends OmitType(EventInputDto, ['firm'] as const) {
  @ApiPropertyOptional({ example: 'ravn', description: 'May be left out; when given it must equal the firm in the path.' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'firm must be a slug: lowercase letters, digits and hyphens' })
  firm?: string;
}

function sameFirm(route: string, body: string | undefined): string {
  if (body !== undefined && body !== route) {
    throw InvalidInputError.field('firm', `"${body}" in the body differs from "${route}" in the path`);
  }
  return route;
}

@ApiTags('firms')
@Controller()
export class FirmsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post('firms')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The firm was registered (its study is created if new).' })
  @ApiBadRequestResponse({ description: 'A field is invalid; `errors` names it.' })
  @ApiConflictResponse({ description: 'A firm with this id exists.' })
  register(@Body() dto: RegisterFirmDto) {
    return this.commands.execute(new RegisterFirmCommand(dto.id, dto.study, dto.name, dto.description));
  }

  @Get('firms')
  @ApiQuery({ name: 'study', required: false })
  @ApiOkResponse({ description: 'Firms with their event counts.' })
  list(@Query('study') study?: string) {
    return this.queries.execute(new ListFirmsQuery(study || undefined));
  }

  @Get('firms/:firm')
  @ApiNotFoundResponse({ description: 'No such firm.' })
  get(@Param('firm') firm: string) {
    return this.queries.execute(new GetFirmQuery(firm));
  }

  @Post('firms/:firm/events')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'Appended (or, for an id already logged, acknowledged with appended=false).' })
  @ApiBadRequestResponse({ description: 'A field is invalid; `errors` names it. Nothing was appended.' })
  @ApiNotFoundResponse({ description: 'No such firm.' })
  logToFirm(@Param('firm') firm: string, @Body() dto: FirmEventBodyDto) {
    return this.commands.execute(new LogEventCommand({ ...dto, firm: sameFirm(firm, dto.firm) }));
  }

  @Post('events')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'Appended; the body is one FORMAT.md line (firm included).' })
  @ApiBadRequestResponse({ description: 'A field is invalid; `errors` names it. Nothing was appended.' })
  log(@Body() dto: EventInputDto) {
    return this.commands.execute(new LogEventCommand({ ...dto }));
  }

  @Post('firms/:firm/phases')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The researcher-declared phase was recorded.' })
  declarePhase(@Param('firm') firm: string, @Body() dto: DeclarePhaseDto) {
    return this.commands.execute(
      new DeclarePhaseCommand(sameFirm(firm, dto.firm), dto.from, dto.to, dto.label, dto.description, dto.id),
    );
  }

  @Get('firms/:firm/timeline')
  @ApiQuery({ name: 'asOf', required: false, description: 'Occurred date (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD): the firm as it stood then.' })
  @ApiQuery({ name: 'knownAt', required: false, description: 'Recorded time (YYYY-MM-DD or ISO timestamp): only what had been logged by then.' })
  timeline(@Param('firm') firm: string, @Query('asOf') asOf?: string, @Query('knownAt') knownAt?: string) {
    return this.queries.execute(new GetTimelineQuery(firm, asOf || undefined, knownAt || undefined));
  }

  @Get('firms/:firm/tracks')
  @ApiOkResponse({ description: 'Declared and enacted tracks, ambiguity and detected phases (default method parameters).' })
  @ApiNotFoundResponse({ description: 'No such firm.' })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'knownAt', required: false })
  tracks(@Param('firm') firm: string, @Query('asOf') asOf?: string, @Query('knownAt') knownAt?: string) {
    return this.queries.execute(new GetTracksQuery(firm, asOf || undefined, knownAt || undefined));
  }

  @Get('firms/:firm/report')
  @ApiQuery({ name: 'format', required: false, enum: REPORT_FORMATS })
  @ApiQuery({ name: 'asOf', required: false })
  @ApiQuery({ name: 'knownAt', required: false })
  @ApiQuery({ name: 'period', required: false, enum: ['month', 'quarter', 'year'] })
  @ApiProduces('text/markdown', 'application/json', 'text/html', 'image/svg+xml')
  async report(
    @Param('firm') firm: string,
    @Res() reply: FastifyReply,
    @Query('format') format = 'md',
    @Query('asOf') asOf?: string,
    @Query('period') period?: string,
    @Query('knownAt') knownAt?: string,
  ) {
    if (period !== undefined && !['month', 'quarter', 'year'].includes(period)) {
      throw InvalidInputError.field('period', 'must be month, quarter or year');
    }
    const params = period ? { granularity: period as 'month' | 'quarter' | 'year' } : {};
    const report = await this.queries.execute(new GetReportQuery(firm, format, asOf || undefined, params, knownAt || undefined));
    // bytes, not body: the HTML report is rendered to bytes, and a string would be encoded again.
    reply.code(200).type(report.contentType).send(report.bytes);
  }
}
