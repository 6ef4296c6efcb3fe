// @ts-check
/**
 * A tiny element builder. Everything the page shows goes through textContent
 * and properties, never parsed as markup: names and messages from devices are data,
 * and the CSP forbids inline styles and scripts anyway.
 */

/**
 * @typedef {Node | string | number | null | undefined | false} Child
 * @typedef {object} Props
 * @property {string} [class]
 * @property {string} [title]
 * @property {string} [role]
 * @property {string} [type]
 * @property {boolean} [disabled]
 * @property {boolean} [hidden]
 * @property {Record<string, string>} [data]  data-* attributes
 * @property {Record<string, string>} [attrs] other attributes (aria-*, for…)
 * @property {Record<string, (event: Event) => void>} [on]
 */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.title) el.title = props.title;
  if (props.role) el.setAttribute('role', props.role);
  if (props.type) el.setAttribute('type', props.type);
  if (props.disabled) el.setAttribute('disabled', '');
  if (props.hidden) el.hidden = true;
  for (const [k, v] of Object.entries(props.data ?? {})) el.dataset[k] = v;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const [k, listener] of Object.entries(props.on ?? {})) el.addEventListener(k, listener);
  el.append(...flatten(children));
  return el;
}

/** @param {(Child | Child[])[]} children @returns {(Node | string)[]} */
function flatten(children) {
  /** @type {(Node | string)[]} */
  const out = [];
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    out.push(typeof c === 'number' ? String(c) : c);
  }
  return out;
}

/**
 * The element with this id; the page's markup is fixed, so a missing one is a bug.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @returns {T}
 */
export function byId(id) {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing from index.html`);
  return /** @type {T} */ (el);
}

/** A coloured phase label; the class picks the colour. @param {string} phase */
export function badge(phase) {
  return h('span', { class: `badge phase-${phase}` }, phase.replaceAll('_', ' '));
}

/** @param {string} text */
export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

/**
 * Rebuilds `container` only when `key` (a digest of what it shows) changed, so
 * a change elsewhere does not steal focus or hover from its buttons.
 * @param {HTMLElement} container
 * @param {string} key
 * @param {() => void} build
 */
export function renderIfChanged(container, key, build) {
  if (container.dataset.renderKey === key) return;
  container.dataset.renderKey = key;
  build();
}
