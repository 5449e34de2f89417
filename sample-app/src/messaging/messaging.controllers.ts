import type { Emitter, View } from '@goka/core';
import { InjectEmitter, InjectView } from '@goka/nestjs';
import { BadRequestException, Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Put, Query } from '@nestjs/common';
import { Groups, Topics } from '../kafka/topics.js';
import type { BlockEvent, BlockValue, Counters, Message } from './messaging.types.js';

function requiredText(body: unknown, field: string): string {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new BadRequestException(`${field} must be a non-empty string`);
  return value;
}

/** Sends messages (to the sent stream, keyed by sender) and serves feeds (the collector's table). */
@Controller('messages')
export class MessagesController {
  constructor(
    @InjectEmitter(Topics.sent) private readonly sent: Emitter<Message>,
    @InjectView(Groups.collector) private readonly feeds: View<Message[]>,
  ) {}

  /** `{ from, to, content }`; 202: the message reaches the feed once filtered and collected. */
  @Post()
  @HttpCode(202)
  async send(@Body() body: unknown): Promise<Message> {
    const message: Message = {
      from: requiredText(body, 'from'),
      to: requiredText(body, 'to'),
      content: requiredText(body, 'content'),
      sentAt: new Date().toISOString(),
    };
    await this.sent.emit(message.from, message);
    return message;
  }

  /** The last messages `user` received, oldest first (`?limit=N`, at most the collector's 5). */
  @Get(':user/feed')
  async feed(@Param('user') user: string, @Query('limit') limit?: string): Promise<{ user: string; messages: Message[] }> {
    const messages = (await this.feeds.get(user)) ?? [];
    const count = limit === undefined ? messages.length : Number(limit);
    if (!Number.isInteger(count) || count < 0) throw new BadRequestException('limit must be a non-negative integer');
    return { user, messages: count === 0 ? [] : messages.slice(-count) };
  }
}

export interface UserStatus {
  readonly user: string;
  readonly blocked: boolean;
  readonly sent: number;
  readonly received: number;
}

/** Blocks and unblocks users (the blocker's stream) and serves the blocker and detector tables. */
@Controller('users')
export class UsersController {
  constructor(
    @InjectEmitter(Topics.blockUser) private readonly blockEvents: Emitter<BlockEvent>,
    @InjectView(Groups.blocker) private readonly blocker: View<BlockValue>,
    @InjectView(Groups.detector) private readonly detector: View<Counters>,
  ) {}

  /** The users blocked now. */
  @Get('blocked')
  async blocked(): Promise<string[]> {
    const users: string[] = [];
    for await (const [user, value] of this.blocker.iterator()) if (value.blocked) users.push(user);
    return users;
  }

  /** Whether `user` is blocked, and how many messages the detector counted; 404 for unknown users. */
  @Get(':user')
  async status(@Param('user') user: string): Promise<UserStatus> {
    const [block, counters] = await Promise.all([this.blocker.get(user), this.detector.get(user)]);
    if (block === undefined && counters === undefined) throw new NotFoundException(`unknown user ${user}`);
    return { user, blocked: block?.blocked ?? false, sent: counters?.sent ?? 0, received: counters?.received ?? 0 };
  }

  @Post(':user/block')
  @HttpCode(202)
  async block(@Param('user') user: string): Promise<{ user: string; unblock: boolean }> {
    await this.blockEvents.emit(user, { unblock: false });
    return { user, unblock: false };
  }

  @Post(':user/unblock')
  @HttpCode(202)
  async unblock(@Param('user') user: string): Promise<{ user: string; unblock: boolean }> {
    await this.blockEvents.emit(user, { unblock: true });
    return { user, unblock: true };
  }
}

/** Sets translations (the translator's stream) and serves the translator table. */
@Controller('translations')
export class TranslationsController {
  constructor(
    @InjectEmitter(Topics.translateWord) private readonly translateWord: Emitter<string>,
    @InjectView(Groups.translator) private readonly translator: View<string>,
  ) {}

  @Get()
  async all(): Promise<Record<string, string>> {
    const translations: Record<string, string> = {};
    for await (const [word, translation] of this.translator.iterator()) translations[word] = translation;
    return translations;
  }

  @Get(':word')
  async one(@Param('word') word: string): Promise<{ word: string; translation: string }> {
    const translation = await this.translator.get(word);
    if (translation === undefined) throw new NotFoundException(`no translation of ${word}`);
    return { word, translation };
  }

  /** `{ translation }`; the filter uses it for messages sent once the translator handled it. */
  @Put(':word')
  @HttpCode(202)
  async put(@Param('word') word: string, @Body() body: unknown): Promise<{ word: string; translation: string }> {
    const translation = requiredText(body, 'translation');
    await this.translateWord.emit(word, translation);
    return { word, translation };
  }
}
