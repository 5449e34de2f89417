/**
 * Element builders (text only via `textContent`-like `append`, never `innerHTML`), the page's
 * `#app` container and its status line.
 */

/** What an element builder takes as children; `undefined`, `null` and `false` are skipped. */
export type Child = Node | string | number | undefined | null | false | readonly Child[];

/** Event handlers by event name (`{ on: { click: ... } }`). */
export type Handlers = Readonly<Record<string, (event: Event) => void>>;

/** Attributes; `testid` becomes `data-testid`, `true` an empty attribute, `undefined`/`null`/`false` none. */
export interface Attrs {
  readonly on?: Handlers;
  readonly [name: string]: string | number | boolean | undefined | null | Handlers;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function append<T extends Node & ParentNode>(node: T, children: readonly Child[]): T {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child as readonly Child[]);
    else node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function setAttrs<T extends Element>(node: T, attrs: Attrs): T {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'object') {
      for (const [event, handler] of Object.entries(value)) node.addEventListener(event, handler);
    } else {
      node.setAttribute(name === 'testid' ? 'data-testid' : name, value === true ? '' : String(value));
    }
  }
  return node;
}

/** An HTML element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

/** An SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

/** The page's content container (`#app` of the page shell). */
export function app(): HTMLElement {
  const container = document.getElementById('app');
  if (container === null) throw new Error('the page has no #app');
  return container;
}

/** Replaces the page's content. */
export function render(...children: Child[]): void {
  const container = app();
  container.replaceChildren();
  append(container, children);
}

/** The header's status line (last update, or what failed). */
export function setStatus(text: string, failed: boolean): void {
  const status = document.querySelector('[data-testid="status"]');
  if (!status) return;
  status.textContent = text;
  status.classList.toggle('bad', failed);
}
