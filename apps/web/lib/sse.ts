// Reads a Server-Sent Events body (WHATWG "event stream" format) as it arrives: one { event, data }
// per blank-line-terminated block. Used for the chat endpoint's streamed turns.

export interface ServerSentEvent {
  /** "message" when the block names no event. */
  event: string;
  data: string;
}

/** The body's lines as they complete (CRLF, LF or CR ends, also split across chunks). */
async function* linesOf(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      // At the end, a last \r is a line end; before it, it may be half of a \r\n still on its way.
      buffer += done ? (buffer.endsWith("\r") ? "\n" : "") : decoder.decode(value, { stream: true });
      const held = !done && buffer.endsWith("\r") ? "\r" : "";
      const lines = (held ? buffer.slice(0, -1) : buffer).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? "") + held;
      yield* lines;
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Splits a chunked body into events; a block without data lines (a comment, a keep-alive) yields none. */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  let event = "";
  let data: string[] = [];
  for await (const line of linesOf(body)) {
    if (line === "") {
      if (data.length > 0) yield { event: event || "message", data: data.join("\n") };
      event = "";
      data = [];
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const raw = colon < 0 ? "" : line.slice(colon + 1);
    const text = raw.startsWith(" ") ? raw.slice(1) : raw;
    if (field === "event") event = text;
    else if (field === "data") data.push(text);
  }
}
