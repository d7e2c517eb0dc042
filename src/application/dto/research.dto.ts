import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateNested,
} from 'class-validator';
import { CONFIDENCE_LEVELS, LIMITS, MODES } from '../../domain/vocabulary.js';
import { OccurredConstraint, SourceDto } from './event-input.dto.js';

const ORIENTATION = 'orientation must be an integer from -2 to +2';

/** A recode: the fields to change (any subset) and why. Kind-specific codes are checked against the event's kind. */
export class RecodeDto {
  @ApiProperty({ description: 'Why the coding changes (kept in the audit trail).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.quote)
  reason!: string;

  @ApiPropertyOptional({ description: 'Who made the recode (default: who records it).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.shortText)
  coder?: string;

  @ApiPropertyOptional({ enum: MODES })
  @IsOptional()
  @IsIn(MODES as unknown as string[], { message: `mode must be one of ${MODES.join(', ')}` })
  mode?: string;

  @ApiPropertyOptional({ minimum: -2, maximum: 2 })
  @IsOptional()
  @IsInt({ message: ORIENTATION })
  @Min(-2, { message: ORIENTATION })
  @Max(2, { message: ORIENTATION })
  orientation?: number;

  @ApiPropertyOptional({ example: '2002-03' })
  @IsOptional()
  @Validate(OccurredConstraint)
  occurred?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  claimsResponsiveness?: boolean;

  @ApiPropertyOptional({ enum: CONFIDENCE_LEVELS })
  @IsOptional()
  @IsIn(CONFIDENCE_LEVELS as unknown as string[], { message: `confidence must be one of ${CONFIDENCE_LEVELS.join(', ')}` })
  confidence?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LIMITS.shortText) newOwner?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LIMITS.shortText) previousOwner?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() dimension?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() direction?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() magnitudePct?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LIMITS.shortText) routine?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() change?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() trend?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LIMITS.shortText) measure?: string;
}

export class RetractDto {
  @ApiProperty({ description: 'Why the event is withdrawn (kept in the audit trail).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.quote)
  reason!: string;
}

export class EvidenceDto {
  @ApiProperty({ type: [SourceDto] })
  @IsArray()
  @ArrayMinSize(1, { message: 'sources must list at least one source' })
  @ArrayMaxSize(LIMITS.sources)
  @ValidateNested({ each: true })
  @Type(() => SourceDto)
  sources!: SourceDto[];
}

/** An independent coding of an existing event by a (second) researcher. */
export class CodingDto {
  @ApiProperty({ example: 'bo' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.shortText)
  coder!: string;

  @ApiProperty({ enum: MODES })
  @IsIn(MODES as unknown as string[], { message: `mode must be one of ${MODES.join(', ')}` })
  mode!: string;

  @ApiProperty({ minimum: -2, maximum: 2 })
  @IsInt({ message: ORIENTATION })
  @Min(-2, { message: ORIENTATION })
  @Max(2, { message: ORIENTATION })
  orientation!: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.quote)
  note?: string;
}

export class CodebookDto {
  @ApiProperty({ description: '{kinds, modes, orientation}: each code with {definition, examples?}.' })
  @IsObject()
  codebook!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'What changed in this version.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.description)
  note?: string;
}
