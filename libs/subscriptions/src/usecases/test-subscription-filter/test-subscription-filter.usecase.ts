import { Injectable } from '@nestjs/common';
import { TestFilterDto } from '../../dtos/test-filter.dto';
import {
  compileSubscriptionFilter,
  filterSubject,
  parseSubscriptionFilter,
} from '../../filters/subscription-filter';

/** Tells whether an event would pass a filter, by the same rules routing uses; stores nothing. */
@Injectable()
export class TestSubscriptionFilter {
  execute(command: TestFilterDto): boolean {
    const matches = compileSubscriptionFilter(parseSubscriptionFilter(command.filter));
    return matches(filterSubject(command.payload.body, command.payload.headers));
  }
}
