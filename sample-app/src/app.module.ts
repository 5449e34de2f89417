import { GokaModule, GokaRegistry } from '@goka/nestjs';
import { GokaMonitorModule } from '@goka/nestjs/monitor';
import { Logger, Module } from '@nestjs/common';
import { ClicksModule } from './clicks/clicks.module.js';
import { SampleKafka } from './kafka/sample-kafka.js';
import { SampleKafkaModule } from './kafka/sample-kafka.module.js';
import { SAMPLE_SCHEMA_REGISTRY } from './kafka/sample-schema-registry.js';
import type { SampleSchemaRegistry } from './kafka/sample-schema-registry.js';
import { MessagingModule } from './messaging/messaging.module.js';
import { sampleMonitorOptions } from './monitor/sample-monitor.options.js';
import { StatusController } from './status.controller.js';

@Module({
  imports: [
    SampleKafkaModule,
    GokaModule.forRootAsync({
      imports: [SampleKafkaModule],
      inject: [SampleKafka, SAMPLE_SCHEMA_REGISTRY],
      useFactory: (kafka: SampleKafka, registry: SampleSchemaRegistry) => ({
        ...kafka.connection,
        // The messages' codecs are Avro, created without a registry: every component binds them to this one.
        schemaRegistry: registry.client,
        storage: { path: kafka.info.storagePath },
        logger: new Logger('Goka'),
        // Goka's 1-simplest: a group without committed offsets starts at the oldest message.
        processorDefaults: { initialOffset: 'oldest' as const },
        // Requests are served from recovered tables only.
        waitForRecovery: true,
      }),
    }),
    ClicksModule,
    MessagingModule,
    // Pages, JSON stats, query, actions, Prometheus metrics and health under /goka.
    GokaMonitorModule.forRootAsync({
      path: 'goka',
      inject: [GokaRegistry],
      useFactory: (registry: GokaRegistry) => sampleMonitorOptions(registry),
    }),
  ],
  controllers: [StatusController],
})
export class AppModule {}
