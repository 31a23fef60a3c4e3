import { Logger } from '@nestjs/common';
import { describeOutcome, isPoison, type BrokerConsumerListener } from './broker-consumer';

/** The listener a consumer uses when given none: poison messages, redeliveries and broker errors go to the log. */
export function loggingListener(
  consumerName: string,
  logger = new Logger(consumerName),
): BrokerConsumerListener {
  return {
    acknowledged(message, outcome) {
      if (isPoison(outcome))
        logger.warn(`message ${message.id} is poison and was acknowledged (${describeOutcome(outcome)})`);
    },
    redeliveryScheduled(message, error, delayMs) {
      logger.warn(
        `message ${message.id} was not stored (${errorText(error)}); the broker offers it again in ${delayMs} ms`,
      );
    },
    brokerError(operation, error) {
      logger.error(`${operation} failed: ${errorText(error)}`);
    },
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
