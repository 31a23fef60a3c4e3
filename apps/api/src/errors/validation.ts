import { ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidInputError } from '@caravan/common';

/** Request DTOs: unknown fields are refused, and the error names the first bad field by its path. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const problem = firstProblem(errors);
      if (!problem || !problem.field) return new InvalidInputError('request body must be a JSON object');
      return new InvalidInputError(problem.message, problem.field);
    },
  });
}

function firstProblem(errors: ValidationError[], parent = ''): { field: string; message: string } | null {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    // class-validator lists constraints bottom-up; the last is the first decorator, the most basic
    // check ("must be a string" before "must be shorter than 200 characters").
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      return { field, message: messages[messages.length - 1].replace(/^property (\S+) should not exist$/, 'unknown field "$1"') };
    }
    const nested = firstProblem(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}
