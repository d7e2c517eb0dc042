import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CompareQuery, ExportEventsQuery, ExportSequencesQuery } from '../../application/queries/export.queries.js';
import { InvalidInputError } from '../../domain/errors.js';

type Period = 'month' | 'quarter' | 'year';

function period(value: string | undefined): { granularity?: Period } {
  if (value === undefined || value === '') return {};
  if (!['month', 'quarter', 'year'].includes(value)) throw InvalidInputError.field('period', 'must be month, quarter or year');
  return { granularity: value as Period };
}

@ApiTags('cross-case and exports')
@Controller()
export class CompareController {
  constructor(private readonly queries: QueryBus) {}

  @Get('compare')
  @ApiQuery({ name: 'format', required: false, enum: ['md', 'json', 'html'] })
  @ApiQuery({ name: 'study', required: false })
  @ApiQuery({ name: 'period', required: false, enum: ['month', 'quarter', 'year'] })
  @ApiProduces('text/markdown', 'application/json', 'text/html')
  async compare(@Res() reply: FastifyReply, @Query('format') format = 'md', @Query('study') study?: string, @Query('period') p?: string) {
    const r = await this.queries.execute(new CompareQuery(format, study || undefined, period(p)));
    reply.code(200).type(r.contentType).send(r.body);
  }

  @Get('export/events')
  @ApiQuery({ name: 'format', required: false, enum: ['jsonl', 'csv'] })
  @ApiQuery({ name: 'study', required: false })
  @ApiQuery({ name: 'firm', required: false })
  async events(@Res() reply: FastifyReply, @Query('format') format = 'jsonl', @Query('study') study?: string, @Query('firm') firm?: string) {
    const r = await this.queries.execute(new ExportEventsQuery(format, firm || undefined, study || undefined));
    reply.code(200).type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8').send(r.body);
  }

  @Get('export/sequences')
  @ApiQuery({ name: 'study', required: false })
  @ApiQuery({ name: 'period', required: false, enum: ['month', 'quarter', 'year'] })
  @ApiQuery({ name: 'align', required: false, enum: ['calendar', 'start'] })
  async sequences(@Res() reply: FastifyReply, @Query('study') study?: string, @Query('period') p?: string, @Query('align') align = 'calendar') {
    if (align !== 'calendar' && align !== 'start') throw InvalidInputError.field('align', 'must be calendar or start');
    const r = await this.queries.execute(new ExportSequencesQuery(study || undefined, period(p), align));
    reply.code(200).type('text/csv; charset=utf-8').send(r.body);
  }
}
