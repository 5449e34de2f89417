import { codecs } from '@goka/core';

/** A user's row of the clicks table (Goka's 2-clicks example stores JSON `{ Clicks }`). */
export interface UserClicks {
  readonly clicks: number;
  /** When the last click was made (ISO 8601). */
  readonly lastSeen: string;
}

export const userClicksCodec = codecs.json<UserClicks>();
/** A click's value: where it came from (`http`, `loadgen`, ...). */
export const clickCodec = codecs.string;
