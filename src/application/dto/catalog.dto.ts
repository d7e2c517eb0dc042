import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Validate } from 'class-validator';
import { LIMITS, SLUG_PATTERN } from '../../domain/vocabulary.js';
import { OccurredConstraint } from './event-input.dto.js';

const SLUG_MESSAGE = (field: string) => `${field} must be a slug: lowercase letters, digits and hyphens`;

export class CreateStudyDto {
  @ApiProperty({ example: 'nordic-seat-frames', description: 'The study id (a slug).' })
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE('id') })
  @MaxLength(64)
  id!: string;

  @ApiPropertyOptional({ example: 'Seat-frame suppliers 1996-2012' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.shortText)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.description)
  description?: string;
}

export class RegisterFirmDto {
  @ApiProperty({ example: 'ravn', description: 'The firm id (a slug), unique in this database.' })
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE('id') })
  @MaxLength(64)
  id!: string;

  @ApiPropertyOptional({ example: 'nordic-seat-frames', default: 'default', description: 'Created if new.' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE('study') })
  study?: string;

  @ApiPropertyOptional({ example: 'Ravn Seating AB (pseudonym)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.shortText)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.description)
  description?: string;
}

/** A researcher's own phase (temporal bracketing); the `phase-declared` line of FORMAT.md. */
export class DeclarePhaseDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'id must be a UUID' })
  id?: string;

  @ApiPropertyOptional({ example: 'ravn', description: 'Taken from the route when posted to a firm.' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE('firm') })
  firm?: string;

  @ApiPropertyOptional({ enum: ['phase-declared'] })
  @IsOptional()
  @Matches(/^phase-declared$/, { message: 'kind must be phase-declared' })
  kind?: string;

  @ApiProperty({ example: '1996' })
  @Validate(OccurredConstraint, [true])
  from!: string;

  @ApiProperty({ example: '2001-11' })
  @Validate(OccurredConstraint, [true])
  to!: string;

  @ApiProperty({ example: 'customization', description: 'customization, cost, mixed, decoupled, ambiguity, or your own refinement.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.shortText)
  label!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.description)
  description?: string;
}
