/**
 * Every topic and group of the sample app (Goka's examples 2-clicks and 3-messaging), prefixed with
 * `sample-` so the app can share a broker with other applications.
 */
export const Topics = {
  /** Clicks, keyed by user; the value is the click's source. */
  clicks: 'sample-user-clicks',
  /** Messages as sent, keyed by the sender. */
  sent: 'sample-message-sent',
  /** Messages after the filter, keyed by the recipient. */
  received: 'sample-message-received',
  /** Block and unblock events, keyed by the user. */
  blockUser: 'sample-block-user',
  /** New translations, keyed by the word. */
  translateWord: 'sample-translate-word',
} as const;

export const Groups = {
  clicks: 'sample-clicks',
  collector: 'sample-collector',
  blocker: 'sample-blocker',
  translator: 'sample-translator',
  filter: 'sample-filter',
  detector: 'sample-detector',
} as const;

/** Group table topics (the module's default `-table` suffix). */
export const Tables = {
  clicks: `${Groups.clicks}-table`,
  collector: `${Groups.collector}-table`,
  blocker: `${Groups.blocker}-table`,
  translator: `${Groups.translator}-table`,
  detector: `${Groups.detector}-table`,
} as const;

/** Loop topics (the module's default `-loop` suffix). */
export const Loops = {
  detector: `${Groups.detector}-loop`,
} as const;

/** Consumer groups of the app's processors (their committed offsets are journaled in embedded mode). */
export const allGroups: readonly string[] = Object.values(Groups);
/** Streams the app creates at startup. */
export const streamTopics: readonly string[] = [...Object.values(Topics), ...Object.values(Loops)];
/** Group tables the app creates at startup (compacted), so views can start before their processors. */
export const tableTopics: readonly string[] = Object.values(Tables);
