import { codecs, Emitter, View } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { GokaModule, InjectEmitter, InjectView, Input, Persist, Processor } from '@goka/nestjs';
import { Controller, Get, Module, Param, Post } from '@nestjs/common';

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

@Module({
  imports: [
    GokaModule.forRoot({ brokers: ['127.0.0.1:9092'], waitForRecovery: true }),
    GokaModule.registerView({ group: 'clicks', codec: codecs.int64 }),
    GokaModule.registerEmitter({ topic: 'clicks', codec: codecs.string }),
  ],
  providers: [ClicksProcessor],
  controllers: [ClicksController],
})
export class AppModule {}
