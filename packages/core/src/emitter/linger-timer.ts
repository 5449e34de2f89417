/**
 * Runs a callback once after a linger time: on the next turn of the event loop (`setImmediate`) for
 * `0`, after a timeout otherwise. At most one run is scheduled at a time. The timer keeps the process
 * alive on purpose: buffered records are sent even if nothing else is running (Goka issue #192).
 */
export class LingerTimer {
  private immediate: NodeJS.Immediate | undefined;
  private timeout: NodeJS.Timeout | undefined;
  private readonly fire = (): void => {
    this.immediate = undefined;
    this.timeout = undefined;
    this.callback();
  };

  constructor(
    private readonly lingerMs: number,
    private readonly callback: () => void,
  ) {}

  get scheduled(): boolean {
    return this.immediate !== undefined || this.timeout !== undefined;
  }

  /** Schedules the callback unless it is already scheduled. */
  schedule(): void {
    if (this.scheduled) return;
    if (this.lingerMs === 0) this.immediate = setImmediate(this.fire);
    else this.timeout = setTimeout(this.fire, this.lingerMs);
  }

  cancel(): void {
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    if (this.timeout !== undefined) clearTimeout(this.timeout);
    this.immediate = undefined;
    this.timeout = undefined;
  }
}
