// The example of the README section "Testing your processors", "In a Nest application" (keep the two in sync).
import { codecs, View } from '@goka/core';
import type { ProcessContext } from '@goka/core';
import { GokaModule, InjectView, Input, Output, Persist, Processor } from '@goka/nestjs';
import { GokaTester, GokaTestingModule } from '@goka/nestjs/testing';
import { Controller, Get, Param } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { expect, it } from 'vitest';

@Processor('clicks')
@Persist(codecs.int64)
@Output('milestones', codecs.string)
class ClicksProcessor {
  @Input('clicks', codecs.string)
  count(_click: string, ctx: ProcessContext<number>): void {
    const clicks = (ctx.value() ?? 0) + 1;
    ctx.setValue(clicks);
    if (clicks % 2 === 0) ctx.emit('milestones', ctx.key, `${clicks} clicks`);
  }
}

@Controller('clicks')
class ClicksController {
  constructor(@InjectView('clicks') private readonly view: View<number>) {}

  @Get(':user')
  async clicks(@Param('user') user: string): Promise<{ user: string; clicks: number }> {
    return { user, clicks: (await this.view.get(user)) ?? 0 };
  }
}

it('counts clicks, emits milestones and serves the count', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [GokaTestingModule.forRoot({ partitions: 4 }), GokaModule.registerView({ group: 'clicks', codec: codecs.int64 })],
    providers: [ClicksProcessor],
    controllers: [ClicksController],
  }).compile();
  const app = await moduleRef.createNestApplication({ logger: false }).init();
  const goka = app.get(GokaTester);
  const milestones = goka.tracker<string>('milestones');

  await goka.consume('clicks', 'alice', 'click');
  await goka.consume('clicks', 'alice', 'click');

  expect(goka.tableValue('clicks-table', 'alice')).toBe(2);
  expect(milestones.next()).toMatchObject({ key: 'alice', value: '2 clicks' });
  await request(app.getHttpServer()).get('/clicks/alice').expect(200, { user: 'alice', clicks: 2 });
  await app.close();
});

it('is the example the README shows under "Testing your processors"', async () => {
  const { readmeExample, specExample } = await import('@goka/scripts');
  const example = await specExample(import.meta.url, "it('is the example the README shows");
  expect(await readmeExample('### In a Nest application')).toBe(example);
});
