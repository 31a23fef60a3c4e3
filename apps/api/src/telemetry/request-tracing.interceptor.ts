import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { SpanAttribute, SpanKind, SpanStatusCode, startSpanAround, tracingEnabled } from '@caravan/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, Subscription } from 'rxjs';

const UNTRACED = /^\/(health|metrics)(\/|$)/;

/**
 * One server span per API request, the root of the traces that follow an event (ingest, routing,
 * every delivery attempt). A caller's W3C `traceparent` header is continued, so an event can join
 * the trace of whatever sent it. With tracing off, requests pass straight through.
 */
@Injectable()
export class RequestTracingInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!tracingEnabled() || execution.getType() !== 'http') return next.handle();
    const request = execution.switchToHttp().getRequest<FastifyRequest>();
    const reply = execution.switchToHttp().getResponse<FastifyReply>();
    const route = request.routeOptions?.url ?? request.url.split('?')[0];
    // Probes and scrapes every few seconds would bury the traces worth reading.
    if (UNTRACED.test(route)) return next.handle();
    const traceparent = request.headers.traceparent;
    const params = request.params as Record<string, string> | undefined;
    return new Observable((subscriber) => {
      let subscription: Subscription | undefined;
      const span = startSpanAround(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          parent: typeof traceparent === 'string' ? traceparent : null,
          attributes: {
            [SpanAttribute.method]: request.method,
            [SpanAttribute.route]: route,
            ...(params?.project_id ? { [SpanAttribute.projectId]: params.project_id } : {}),
          },
        },
        // The handler runs when subscribed, so it and all it awaits run inside the span.
        () => (subscription = next.handle().subscribe(subscriber)),
      );
      // Ended when the answer is sent, with the status the error filter chose when the handler failed.
      reply.raw.once('close', () => {
        span?.setAttribute(SpanAttribute.statusCode, reply.raw.statusCode);
        if (reply.raw.statusCode >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
        span?.end();
      });
      return () => subscription?.unsubscribe();
    });
  }
}
