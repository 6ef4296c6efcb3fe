// @ts-check
/**
 * Incremental parser of a `text/event-stream` body, after the WHATWG "event
 * stream interpretation": the dashboard reads /api/v1/events with fetch()
 * (EventSource cannot send an Authorization header), so it parses the stream
 * itself. Feed it decoded text in chunks of any size; it returns each event
 * once its terminating blank line has arrived.
 */

/**
 * @typedef {object} SseEvent
 * @property {string} type   the `event:` field, `message` when absent
 * @property {string} data   the `data:` lines joined with "\n"
 * @property {string} lastEventId  the last `id:` seen on the stream so far
 */

export class SseParser {
  /** The incomplete last line of what was pushed so far. */
  #pending = '';
  /** @type {string[]} */
  #data = [];
  #type = '';
  #lastEventId = '';
  /** A chunk ended in "\r": a "\n" opening the next one belongs to the same line break. */
  #afterCr = false;
  #started = false;
  /** @type {number | undefined} */
  #retryMs = undefined;

  /** The reconnection time the server asked for with `retry:`, if any. */
  get retryMs() {
    return this.#retryMs;
  }

  /**
   * @param {string} chunk
   * @returns {SseEvent[]}
   */
  push(chunk) {
    let text = chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.length > 0 && this.#afterCr) {
      this.#afterCr = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    const buffer = this.#pending + text;
    /** @type {SseEvent[]} */
    const events = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line(buffer.slice(start, i), events);
      if (c === 13) {
        if (i + 1 === buffer.length) this.#afterCr = true;
        else if (buffer.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#pending = buffer.slice(start);
    return events;
  }

  /**
   * @param {string} line
   * @param {SseEvent[]} events
   */
  #line(line, events) {
    if (line === '') {
      if (this.#data.length > 0) events.push({ type: this.#type || 'message', data: this.#data.join('\n'), lastEventId: this.#lastEventId });
      this.#data = [];
      this.#type = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#type = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retryMs = Number(value);
        break;
      default:
      // Unknown fields are ignored, as the standard says.
    }
  }
}
