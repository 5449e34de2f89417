import { codecs } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { GokaModule, Input, Persist, Processor, Visitor } from '@goka/nestjs';
import { GokaMonitorModule } from '@goka/nestjs/monitor';
import { Module } from '@nestjs/common';

@Processor('clicks')
@Persist(codecs.int64)
export class ClicksProcessor {
  @Input('clicks', codecs.string)
  count(_click: string, ctx: ProcessContext<number>): void {
    ctx.setValue((ctx.value() ?? 0) + 1);
  }

  @Visitor('reset') // the action "clicks.reset" on the actions page
  reset(to: number | undefined, ctx: ProcessContext<number>): void {
    ctx.setValue(to ?? 0);
  }
}

@Module({
  imports: [
    GokaModule.forRoot({ brokers: ['127.0.0.1:9092'] }),
    GokaModule.registerView({ group: 'clicks', codec: codecs.int64 }),
    // pages at /goka, JSON at /goka/api/..., Prometheus at /goka/metrics, health at /goka/api/health
    GokaMonitorModule.forRoot({ path: 'goka', title: 'Clicks' }),
  ],
  providers: [ClicksProcessor],
})
export class AppModule {}
