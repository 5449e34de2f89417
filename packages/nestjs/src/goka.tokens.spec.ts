import { Injectable } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import { InjectEmitter, InjectProcessor, InjectView } from './decorators/index.js';
import { getEmitterToken, getProcessorToken, getViewToken } from './goka.tokens.js';

class FakeHandle {
  constructor(readonly name: string) {}
}

@Injectable()
class ClicksController {
  constructor(
    @InjectView('clicks-table') readonly view: FakeHandle,
    @InjectEmitter('clicks') readonly emitter: FakeHandle,
    @InjectProcessor('clicks') readonly processor: FakeHandle,
  ) {}
}

describe('named handle tokens', () => {
  it('are distinct per kind and per name', () => {
    const tokens = [getViewToken('a'), getEmitterToken('a'), getProcessorToken('a'), getViewToken('b')];
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('inject the handle registered under the same name', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        ClicksController,
        { provide: getViewToken('clicks-table'), useValue: new FakeHandle('view') },
        { provide: getEmitterToken('clicks'), useValue: new FakeHandle('emitter') },
        { provide: getProcessorToken('clicks'), useValue: new FakeHandle('processor') },
      ],
    }).compile();
    const controller = moduleRef.get(ClicksController);
    expect([controller.view.name, controller.emitter.name, controller.processor.name]).toEqual([
      'view',
      'emitter',
      'processor',
    ]);
    await moduleRef.close();
  });

  it('names the missing token when nothing was registered', async () => {
    const compiling = Test.createTestingModule({ providers: [ClicksController] }).compile();
    await expect(compiling).rejects.toThrow(/GokaView:clicks-table/);
  });
});
