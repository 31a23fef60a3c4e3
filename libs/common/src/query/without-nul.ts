import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * PostgreSQL text cannot hold U+0000: a filter with it would fail in the driver. Refused here
 * instead, naming the field.
 */
export function WithoutNul(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'withoutNul',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000'),
        defaultMessage: (args) => `${args?.property ?? 'the value'} cannot contain the NUL character (\\u0000)`,
      },
    },
    options,
  );
}
