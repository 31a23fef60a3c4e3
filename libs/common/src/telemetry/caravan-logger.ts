import { LoggerService } from '@nestjs/common';
import { context, trace } from '@opentelemetry/api';
import pino, { DestinationStream, Logger } from 'pino';
import type { CaravanConfig } from '../config/caravan-config';

// Nest's own start-up chatter (one line per module and route); kept at debug level.
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

// Structured fields that may carry credentials, wherever a caller puts them.
const SECRET_FIELDS = ['secret', 'password', 'authorization', 'token', 'api_key', 'apiKey', 'key', 'header_value', 'client_key', 'credentials_json', 'secret_access_key'];
const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `data.*.${field}`]);

/** Credentials in URLs (`postgres://user:pass@host`) inside message text: pino's redaction sees only fields. */
const URL_CREDENTIALS = /\/\/[^@/\s"]*@/g;

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug';

/**
 * Nest's logger as JSON lines on stdout (pino): `{"level","time","pid","context","msg"}`, plus
 * `trace_id` and `span_id` while a span is active, so a log line leads to its trace. The level
 * follows CARAVAN_LOG_LEVEL (debug adds Nest's start-up lines and verbose messages).
 */
export class CaravanLogger implements LoggerService {
  private readonly logger: Logger;

  constructor(
    private readonly config: CaravanConfig,
    destination: DestinationStream = pino.destination({ fd: 1, sync: true }),
  ) {
    this.logger = pino(
      {
        level: config.logLevel,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: traceFields,
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      },
      destination,
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    const context = contextOf(params);
    if (context && FRAMEWORK_CONTEXTS.has(context) && this.config.logLevel !== 'debug') return;
    this.write('info', message, context);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context), or (message, context) when it has no stack.
    const stack = typeof params[0] === 'string' && (params.length >= 2 || isStack(params[0])) ? params[0] : undefined;
    const context = params.length === 1 && stack ? undefined : contextOf(params);
    this.write('error', message, context, stack);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, contextOf(params));
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, contextOf(params));
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, contextOf(params));
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, contextOf(params));
  }

  private write(level: Level, message: unknown, context: string | undefined, stack?: string): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    if (context) fields.context = context;
    if (stack) fields.stack = redactText(stack);
    if (message instanceof Error) {
      fields.error = { type: message.name, message: redactText(message.message), stack: redactText(message.stack ?? '') };
      this.logger[level](fields, redactText(message.message));
    } else if (typeof message === 'object' && message !== null) {
      fields.data = message;
      this.logger[level](fields);
    } else {
      this.logger[level](fields, redactText(String(message)));
    }
  }
}

/** Nest appends the logger's context as the last parameter. */
function contextOf(params: unknown[]): string | undefined {
  const last = params[params.length - 1];
  return typeof last === 'string' ? last : undefined;
}

function isStack(text: string): boolean {
  return /\n\s+at /.test(text);
}

function redactText(text: string): string {
  return text.replace(URL_CREDENTIALS, '//***@');
}

function traceFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
