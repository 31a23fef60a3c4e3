import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { InvalidInputError, opaqueJsonFields, opaqueStandIn } from '@caravan/common';

/**
 * Validates a DTO's @OpaqueJson properties through stand-ins of the same JSON kind, then puts the
 * values back as the parser gave them (Fastify's parser already refuses prototype-poisoning keys).
 */
class CaravanValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const opaque = opaqueJsonFields(metadata.metatype);
    if (opaque.length === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) {
      return super.transform(value, metadata);
    }
    const body = value as Record<string, unknown>;
    const shallow = { ...body };
    const present = opaque.filter((field) => Object.prototype.hasOwnProperty.call(body, field));
    for (const field of present) shallow[field] = opaqueStandIn(body[field]);
    const dto = (await super.transform(shallow, metadata)) as Record<string, unknown>;
    for (const field of present) dto[field] = body[field];
    return dto;
  }
}

/** Request DTOs: unknown fields are refused, and the error names the first bad field by its path. */
export function createValidationPipe(): ValidationPipe {
  return new CaravanValidationPipe({
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
