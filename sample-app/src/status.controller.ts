import { GokaRegistry } from '@goka/nestjs';
import { Controller, Get, Inject } from '@nestjs/common';
import { SampleKafka } from './kafka/sample-kafka.js';
import type { SampleKafkaInfo } from './kafka/sample-kafka.js';

export { kafkaBrokersFromEnv } from './config/sample-config.js';

/** What the app runs against (the embedded in-memory Kafka, or the brokers of `KAFKA_BROKERS`) and whether Goka is ready. */
export interface AppStatus {
  app: string;
  ready: boolean;
  kafka: SampleKafkaInfo;
}

@Controller()
export class StatusController {
  constructor(
    @Inject(SampleKafka) private readonly kafka: SampleKafka,
    private readonly registry: GokaRegistry,
  ) {}

  @Get()
  status(): AppStatus {
    return { app: 'goka-nestjs sample', ready: this.registry.isReady(), kafka: this.kafka.info };
  }
}
