import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  isUUID,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { kindFieldProblems } from '../../domain/kind-field-rules.js';
import { isInFuture, isOccurredError, parseOccurred } from '../../domain/occurred.js';
import {
  CONFIDENCE_LEVELS,
  EVENT_KINDS,
  LIMITS,
  MODES,
  SLUG_PATTERN,
  SOURCE_KINDS,
} from '../../domain/vocabulary.js';


export class SourceDto {
  @ApiProperty({ enum: SOURCE_KINDS, example: 'interview' })
  @IsIn(SOURCE_KINDS as unknown as string[], { message: `kind must be one of ${SOURCE_KINDS.join(', ')}` })
  kind!: string;

  @ApiProperty({ example: 'INT-03', description: 'Your reference for the source: interview id, document number, note id.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.shortText)
  ref!: string;

  @ApiPropertyOptional({ example: 'CFO', description: 'Role of the informant (pseudonymised).' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.shortText)
  informant?: string;

  @ApiPropertyOptional({ description: 'A short quote from the source.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.quote)
  quote?: string;
}

/** Checks the fields that depend on `kind` with the domain's own rule, so messages match. */
@ValidatorConstraint({ name: 'kindFields' })
class KindFieldsConstraint implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    return kindFieldProblems(args.object as Record<string, unknown>).length === 0;
  }
  defaultMessage(args: ValidationArguments): string {
    return kindFieldProblems(args.object as Record<string, unknown>)
      .map((p) => `${p.field} ${p.message}`)
      .join('; ');
  }
}

/** A partial date that exists and has begun (the domain's own parser, so messages match). */
@ValidatorConstraint({ name: 'occurred' })
export class OccurredConstraint implements ValidatorConstraintInterface {
  private problem(value: unknown, allowFuture: boolean): string | undefined {
    if (typeof value !== 'string') return 'must be a string: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD';
    const parsed = parseOccurred(value);
    if (isOccurredError(parsed)) return parsed.error;
    if (!allowFuture && isInFuture(parsed, new Date())) return `${value} is in the future`;
    return undefined;
  }
  validate(value: unknown, args: ValidationArguments): boolean {
    return this.problem(value, Boolean(args.constraints?.[0])) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} ${this.problem(args.value, Boolean(args.constraints?.[0]))}`;
  }
}

/**
 * One field event, the FORMAT.md JSON Lines shape. Used by HTTP bodies, CLI flags and each
 * line of an import alike.
 */
export class EventInputDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Your id for the event; sending the same id twice appends it once.' })
  @IsOptional()
  @IsUUID('all', { message: 'id must be a UUID' })
  id?: string;

  @ApiProperty({ example: 'ravn', description: 'The firm (a slug) the event belongs to.' })
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'firm must be a slug: lowercase letters, digits and hyphens' })
  firm!: string;

  @ApiProperty({ enum: EVENT_KINDS })
  @IsIn(EVENT_KINDS as unknown as string[], { message: `kind must be one of ${EVENT_KINDS.join(', ')}` })
  @Validate(KindFieldsConstraint)
  kind!: string;

  @ApiProperty({ example: '2002-01-20', description: 'When it happened: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (precision is kept).' })
  @Validate(OccurredConstraint)
  occurred!: string;

  @ApiProperty({ maxLength: LIMITS.title, example: 'Town hall: cost leader in our tier' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.title)
  title!: string;

  @ApiPropertyOptional({ maxLength: LIMITS.description })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.description)
  description?: string;

  @ApiPropertyOptional({ enum: MODES, description: 'Default depends on the kind (FORMAT.md).' })
  @IsOptional()
  @IsIn(MODES as unknown as string[], { message: `mode must be one of ${MODES.join(', ')}` })
  mode?: string;

  @ApiPropertyOptional({ minimum: -2, maximum: 2, description: 'Negative towards cost focus, positive towards customization. Default 0.' })
  @IsOptional()
  @IsInt({ message: 'orientation must be an integer from -2 to +2' })
  @Min(LIMITS.orientationMin, { message: 'orientation must be an integer from -2 to +2' })
  @Max(LIMITS.orientationMax, { message: 'orientation must be an integer from -2 to +2' })
  orientation?: number;

  @ApiPropertyOptional({ description: 'True when the act still promises customer responsiveness.' })
  @IsOptional()
  @IsBoolean()
  claimsResponsiveness?: boolean;

  @ApiPropertyOptional({ type: [SourceDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.sources)
  @ValidateNested({ each: true })
  @Type(() => SourceDto)
  sources?: SourceDto[];

  @ApiPropertyOptional({ enum: CONFIDENCE_LEVELS, default: 'medium' })
  @IsOptional()
  @IsIn(CONFIDENCE_LEVELS as unknown as string[], { message: `confidence must be one of ${CONFIDENCE_LEVELS.join(', ')}` })
  confidence?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIMITS.tags)
  @IsString({ each: true })
  @MaxLength(LIMITS.tag, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'The researcher who coded the event; default: who records it.' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.shortText)
  coder?: string;

  @ApiPropertyOptional({ description: 'ownership-change (required): the new owner.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.shortText)
  newOwner?: string;

  @ApiPropertyOptional({ description: 'ownership-change: the previous owner.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.shortText)
  previousOwner?: string;

  @ApiPropertyOptional({ description: 'demand-shift (required): volume, mix, volatility or requirements.' })
  @IsOptional()
  @IsString()
  dimension?: string;

  @ApiPropertyOptional({ description: 'demand-shift: up, down or mixed.' })
  @IsOptional()
  @IsString()
  direction?: string;

  @ApiPropertyOptional({ description: 'demand-shift: size of the shift in percent.' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  magnitudePct?: number;

  @ApiPropertyOptional({ description: 'planning-routine-change (required): the routine, e.g. "production planning horizon".' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.shortText)
  routine?: string;

  @ApiPropertyOptional({
    description:
      'planning-routine-change (required): introduced, modified, abandoned or resisted. ' +
      'network-change (required): outsourcing, offshoring, alliance, supplier-base-cut, tier-change, co-design or other.',
  })
  @IsOptional()
  @IsString()
  change?: string;

  @ApiPropertyOptional({
    description:
      'profitability-observation (required): improving, stable, declining or irregular. ' +
      'customer-response-observation (required): improving, stable or declining.',
  })
  @IsOptional()
  @IsString()
  trend?: string;

  @ApiPropertyOptional({ description: 'customer-response-observation: what was measured, e.g. "on-time delivery of variants".' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.shortText)
  measure?: string;
}

const LOWERCASE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * The few inputs EventInputDto rejects although the domain's field-event rules
 * (normalizeFieldEvent) accept them: an `id` that is not a UUID (the rules leave ids to the
 * caller) and an empty string for `mode`, `confidence` or `coder` (the rules read it as
 * absent). Every other input the DTO rejects, the rules reject too (test/application/
 * import-validation.spec.ts checks this on a corpus of broken lines). An import can therefore
 * let the decider's rules check a line and run this DTO only for lines that fail them or that
 * this function flags, and still give each line the DTO's messages.
 */
export function rejectedOnlyByDto(record: Readonly<Record<string, unknown>>): boolean {
  const id = record.id;
  // A lowercase version 1-8 UUID (what Strata and most tools write) is one cheap test; anything
  // else is left to class-validator's own isUUID, so the verdict is always the DTO's.
  if (id !== undefined && id !== null && !(typeof id === 'string' && LOWERCASE_UUID.test(id)) && !isUUID(id, 'all')) return true;
  return record.mode === '' || record.confidence === '' || record.coder === '';
}
