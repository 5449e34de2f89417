import { codecs, Emitter, MemoryKafka, View } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { GokaModule, InjectEmitter, InjectView, Input, Persist, Processor } from '@goka/nestjs';
import { Controller, Get, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Processor('clicks') // consumer group "clicks", table "clicks-table"
@Persist(codecs.int64)
export class ClicksProcessor {
  @Input('clicks', codecs.string)
  count(_click: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }
}

@Controller('clicks')
export class ClicksController {
  constructor(
    @InjectView('clicks') private readonly view: View<number>,
    @InjectEmitter('clicks') private readonly emitter: Emitter<string>,
  ) {}

  @Get(':user')
  async clicks(@Param('user') user: string): Promise<{ user: string; clicks: number }> {
    return { user, clicks: (await this.view.get(user)) ?? 0 };
  }

  @Post(':user')
  async click(@Param('user') user: string): Promise<void> {
    await this.emitter.emit(user, 'click');
  }
}

// KAFKA_BROKERS=127.0.0.1:9092 for Apache Kafka; without it, an in-memory Kafka inside the app
const brokers = process.env.KAFKA_BROKERS?.split(',');

@Module({
  imports: [
    GokaModule.forRoot({
      ...(brokers === undefined ? { kafka: new MemoryKafka() } : { brokers }),
      topics: { create: true, partitions: 3 }, // creates the topic "clicks" when it is missing
      waitForRecovery: true,
    }),
    GokaModule.registerView({ group: 'clicks', codec: codecs.int64 }),
    GokaModule.registerEmitter({ topic: 'clicks', codec: codecs.string }),
  ],
  providers: [ClicksProcessor],
  controllers: [ClicksController],
})
export class AppModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(); // in-flight messages finish and commit, emitters flush, stores close
  await app.listen(process.env.PORT ?? 3000);
}
void bootstrap();
