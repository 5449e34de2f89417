import type { Emitter, View } from '@goka/core';
import { InjectEmitter, InjectView } from '@goka/nestjs';
import { Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { Groups, Topics } from '../kafka/topics.js';
import type { UserClicks } from './clicks.types.js';

export interface UserClicksResponse extends UserClicks {
  readonly user: string;
}

/** Emits clicks and serves the clicks table through a view (eventually consistent with the posts). */
@Controller('clicks')
export class ClicksController {
  constructor(
    @InjectView(Groups.clicks) private readonly view: View<UserClicks>,
    @InjectEmitter(Topics.clicks) private readonly emitter: Emitter<string>,
  ) {}

  /** Every user's clicks, in key order. */
  @Get()
  async all(): Promise<UserClicksResponse[]> {
    const users: UserClicksResponse[] = [];
    for await (const [user, value] of this.view.iterator()) users.push({ user, ...value });
    return users;
  }

  @Get(':user')
  async one(@Param('user') user: string): Promise<UserClicksResponse> {
    const value = await this.view.get(user);
    if (value === undefined) throw new NotFoundException(`no clicks of user ${user}`);
    return { user, ...value };
  }

  /** Emits a click of `user`; 202: the count changes once the processor handled it. */
  @Post(':user')
  @HttpCode(202)
  async click(@Param('user') user: string): Promise<{ user: string; accepted: true }> {
    await this.emitter.emit(user, 'http');
    return { user, accepted: true };
  }
}
