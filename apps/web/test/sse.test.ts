import { describe, expect, it } from "vitest";
import { readEventStream, type ServerSentEvent } from "@/lib/sse";

function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(chunks: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of readEventStream(bodyOf(chunks))) events.push(event);
  return events;
}

describe("readEventStream", () => {
  it("reads named events with JSON data, whatever the chunk boundaries", async () => {
    const stream =
      'event: delta\ndata: {"text":"Hel"}\n\nevent: delta\ndata: {"text":"lo ✓"}\n\n' +
      'event: done\ndata: {"conversation_id":1}\n\n';
    const expected = [
      { event: "delta", data: '{"text":"Hel"}' },
      { event: "delta", data: '{"text":"lo ✓"}' },
      { event: "done", data: '{"conversation_id":1}' },
    ];
    expect(await collect([stream])).toEqual(expected);
    // One character per chunk, and a multi-byte character split across two chunks.
    expect(await collect([...stream])).toEqual(expected);
    const bytes = new TextEncoder().encode(stream);
    // Byte 67 falls inside the three bytes of "✓" (all characters before it are ASCII).
    expect(stream.indexOf("✓")).toBe(66);
    const halves: ReadableStream<Uint8Array> = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.slice(0, 67));
        controller.enqueue(bytes.slice(67));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of readEventStream(halves)) events.push(event);
    expect(events).toEqual(expected);
  });

  it("handles CRLF and CR line ends (also split across chunks), comments and multi-line data", async () => {
    const events = await collect([
      ": keep-alive\r\n\r\nevent: tool_call\r",
      "\ndata: line one\r\ndata: line two\r\n\r\ndata: plain\r\r",
    ]);
    expect(events).toEqual([
      { event: "tool_call", data: "line one\nline two" },
      { event: "message", data: "plain" },
    ]);
  });

  it("drops an unterminated last block (the stream was cut off)", async () => {
    expect(await collect(['event: delta\ndata: {"text":"a"}\n\nevent: done\ndata: {"partial'])).toEqual([
      { event: "delta", data: '{"text":"a"}' },
    ]);
  });
});
