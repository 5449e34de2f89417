/** The pages of the monitor (see `monitor-api.interface.ts` for their routes). */
export type MonitorPageKind = 'index' | 'processor' | 'view' | 'query' | 'actions';

/** What a page shell needs to know; the page's script fetches everything else. */
export interface MonitorPageRequest {
  readonly kind: MonitorPageKind;
  /** The mount path with a leading and no trailing slash (e.g. `/goka`); `''` at the root. */
  readonly basePath: string;
  /** The monitor's title (header and `<title>`). */
  readonly title: string;
  /** The group (processor page) or table (view page). */
  readonly name?: string;
}

/** A bundled file served under `{base}/assets/`. */
export interface MonitorAsset {
  readonly contentType: string;
  readonly body: string;
}
