import { Inject, Injectable, Module } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { SAMPLE_CONFIG, sampleConfigFromEnv } from '../config/sample-config.js';
import type { SampleConfig } from '../config/sample-config.js';
import { SampleKafka } from './sample-kafka.js';
import { SAMPLE_SCHEMA_REGISTRY, sampleSchemaRegistry } from './sample-schema-registry.js';
import type { SampleSchemaRegistry } from './sample-schema-registry.js';

/** Closes the Kafka journal once Goka stopped (its processors stop in `beforeApplicationShutdown`). */
@Injectable()
export class SampleKafkaLifecycle implements OnApplicationShutdown {
  constructor(@Inject(SampleKafka) private readonly kafka: SampleKafka) {}

  onApplicationShutdown(): void {
    this.kafka.close();
  }
}

/** The app's configuration (from the environment), its Kafka connection and its schema registry. */
@Module({
  providers: [
    { provide: SAMPLE_CONFIG, useFactory: (): SampleConfig => sampleConfigFromEnv() },
    {
      provide: SampleKafka,
      inject: [SAMPLE_CONFIG],
      useFactory: (config: SampleConfig): Promise<SampleKafka> => SampleKafka.open(config),
    },
    {
      provide: SAMPLE_SCHEMA_REGISTRY,
      inject: [SAMPLE_CONFIG],
      useFactory: (config: SampleConfig): SampleSchemaRegistry => sampleSchemaRegistry(config),
    },
    SampleKafkaLifecycle,
  ],
  exports: [SAMPLE_CONFIG, SampleKafka, SAMPLE_SCHEMA_REGISTRY],
})
export class SampleKafkaModule {}
