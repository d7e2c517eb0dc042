import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { problemsOf, VALIDATION_OPTIONS } from '../application/dto/validate-input.js';
import { errorBody } from './error-body.js';

/** Global pipe: whitelist, forbid unknown fields, transform; errors name each field. */
export function strataValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    // problemsOf needs the validated object to name the fields the kind rule is about.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => {
      const problems = problemsOf(errors);
      return new BadRequestException(
        errorBody(400, 'Bad Request', problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems),
      );
    },
  });
}
