"use client";

import Link from "next/link";
import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useId, useRef, useState } from "react";
import { ApiError, api } from "@/lib/api-client";
import { timeAgo } from "@/lib/format";
import { handleAuthError, MUTATING_TOOLS, tasksStore, useRefreshOnFocus, useTasks } from "@/lib/tasks-store";
import type { ChatStreamEvent, Conversation, ToolCall } from "@/lib/types";
import { TaskList } from "../tasks/task-list";
import { Markdown } from "./markdown";
import { ToolCallChip } from "./tool-call";

/** A tool call of a reply; `running` until its result arrives on the stream. */
interface ToolStep extends ToolCall {
  running?: boolean;
}

interface ThreadItem {
  key: string;
  role: "user" | "assistant";
  content: string;
  toolCalls?: ToolStep[];
  failed?: boolean;
  /** The reply is still arriving. */
  streaming?: boolean;
  stopped?: boolean;
}

/** How the API ends the reply of a stopped turn (apps/api/src/chat/store.ts STOPPED_MARK). */
const STOPPED_MARK = "_(stopped)_";
const markStopped = (partial: string) =>
  partial.trim() ? `${partial.trim()}\n\n${STOPPED_MARK}` : STOPPED_MARK;

/** The reply with one stream event applied. */
function applyEvent(item: ThreadItem, event: ChatStreamEvent): ThreadItem {
  const steps = item.toolCalls ?? [];
  if (event.type === "delta") return { ...item, content: item.content + event.text };
  if (event.type === "tool_call") {
    return {
      ...item,
      toolCalls: [...steps, { name: event.name, arguments: event.arguments, result: null, running: true }],
    };
  }
  const index = steps.findIndex((step) => step.running && step.name === event.name);
  if (index < 0) return item;
  return {
    ...item,
    toolCalls: steps.map((step, i) =>
      i === index ? { ...step, result: event.result, running: false } : step,
    ),
  };
}

const SUGGESTIONS = ["Add a task to buy milk", "What's pending?", "What have I completed?"];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong.";
}

export function ChatView() {
  const id = useId();
  const tasks = useTasks();
  useRefreshOnFocus();
  const [conversations, setConversations] = useState<Conversation[] | null>(null);
  const [conversationsError, setConversationsError] = useState<string | null>(null);
  const [activeId, setActiveId] = useState<number | null>(null);
  const [thread, setThread] = useState<ThreadItem[]>([]);
  const [threadLoading, setThreadLoading] = useState(false);
  const [threadError, setThreadError] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [sending, setSending] = useState(false);
  const turnRef = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const endRef = useRef<HTMLDivElement>(null);

  const loadConversations = useCallback(async () => {
    try {
      setConversations(await api.chat.conversations());
      setConversationsError(null);
    } catch (error) {
      handleAuthError(error);
      setConversationsError(messageOf(error));
    }
  }, []);

  useEffect(() => {
    void loadConversations();
    // The side panel shows every task, whatever filter the tasks page had.
    void tasksStore.load("all");
  }, [loadConversations]);

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end" });
  }, [thread, sending]);

  async function openConversation(conversationId: number) {
    if (sending) return;
    setActiveId(conversationId);
    setThread([]);
    setThreadError(null);
    setThreadLoading(true);
    try {
      const messages = await api.chat.messages(conversationId);
      setThread(
        messages.map((m) => ({ key: `m${m.id}`, role: m.role, content: m.content, toolCalls: m.tool_calls })),
      );
    } catch (error) {
      handleAuthError(error);
      setThreadError(messageOf(error));
    } finally {
      setThreadLoading(false);
      inputRef.current?.focus();
    }
  }

  function newConversation() {
    if (sending) return;
    setActiveId(null);
    setThread([]);
    setThreadError(null);
    setDraft("");
    inputRef.current?.focus();
  }

  /** Stops the turn in flight: the request is aborted, which stops the model on the server too. */
  const stop = useCallback(() => {
    turnRef.current?.abort();
  }, []);

  // Esc stops the reply wherever the focus is.
  useEffect(() => {
    if (!sending) return;
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key === "Escape") stop();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [sending, stop]);

  async function send(text: string) {
    const message = text.trim();
    if (!message || sending) return;
    const key = `local${Date.now()}`;
    const replyKey = `${key}-reply`;
    const conversationId = activeId ?? undefined;
    const controller = new AbortController();
    turnRef.current = controller;
    const updateReply = (change: (item: ThreadItem) => ThreadItem) =>
      setThread((items) => items.map((item) => (item.key === replyKey ? change(item) : item)));
    setThread((items) => [
      ...items,
      { key, role: "user", content: message },
      { key: replyKey, role: "assistant", content: "", toolCalls: [], streaming: true },
    ]);
    setDraft("");
    setSending(true);
    setThreadError(null);
    try {
      const reply = await api.chat.stream(
        { message, conversationId },
        {
          signal: controller.signal,
          onEvent: (event) => {
            updateReply((item) => applyEvent(item, event));
            // The task panel follows the assistant the moment a tool has changed a task.
            if (event.type === "tool_result" && MUTATING_TOOLS.has(event.name)) void tasksStore.refresh();
          },
        },
      );
      updateReply((item) => ({
        ...item,
        content: reply.response,
        toolCalls: reply.tool_calls,
        streaming: false,
      }));
      setActiveId(reply.conversation_id);
      void loadConversations();
    } catch (error) {
      if (controller.signal.aborted) {
        // The API keeps what was streamed, marked the same way, with the tool calls that ran.
        updateReply((item) => ({
          ...item,
          content: markStopped(item.content),
          toolCalls: (item.toolCalls ?? []).map((step) => ({ ...step, running: false })),
          streaming: false,
          stopped: true,
        }));
        // A new conversation's id only arrives with `done`: it is the most recent one.
        void api.chat.conversations().then((list) => {
          setConversations(list);
          if (conversationId === undefined && list[0]) setActiveId(list[0].id);
        }, handleAuthError);
      } else {
        handleAuthError(error);
        setThread((items) =>
          items
            .filter((item) => item.key !== replyKey)
            .map((item) => (item.key === key ? { ...item, failed: true } : item)),
        );
        setThreadError(messageOf(error));
        setDraft(message);
        // The user message was stored: a retry continues the same conversation.
        const details =
          error instanceof ApiError ? (error.details as { conversation_id?: number }) : undefined;
        if (conversationId === undefined && typeof details?.conversation_id === "number") {
          setActiveId(details.conversation_id);
          void loadConversations();
        }
      }
    } finally {
      turnRef.current = null;
      setSending(false);
      inputRef.current?.focus();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void send(draft);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Escape" && sending) {
      event.preventDefault();
      stop();
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send(draft);
    }
  }

  const active = conversations?.find((c) => c.id === activeId);

  return (
    <div className="chat-layout">
      <aside className="conversations" aria-labelledby={`${id}-conversations`}>
        <div className="panel-header">
          <h2 id={`${id}-conversations`}>Conversations</h2>
          <button type="button" className="button primary small" onClick={newConversation} disabled={sending}>
            <span aria-hidden="true">+</span> New
          </button>
        </div>
        {conversationsError && (
          <p className="form-error" role="alert">
            {conversationsError}{" "}
            <button type="button" className="link-button" onClick={() => void loadConversations()}>
              Retry
            </button>
          </p>
        )}
        {conversations === null && !conversationsError ? (
          <p className="muted small">Loading…</p>
        ) : conversations?.length === 0 ? (
          <p className="muted small">No conversations yet. Say hello!</p>
        ) : (
          <ul className="conversation-list">
            {conversations?.map((conversation) => (
              <li key={conversation.id}>
                <button
                  type="button"
                  className="conversation"
                  aria-current={conversation.id === activeId ? "true" : undefined}
                  onClick={() => void openConversation(conversation.id)}
                >
                  <span className="conversation-title">
                    {conversation.title || `Conversation ${conversation.id}`}
                  </span>
                  <span className="conversation-time">{timeAgo(conversation.updated_at)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </aside>

      <section className="thread" aria-labelledby={`${id}-thread`}>
        <div className="panel-header thread-header">
          <h1 id={`${id}-thread`}>
            {active?.title || (activeId ? `Conversation ${activeId}` : "New conversation")}
          </h1>
        </div>
        <div
          className="messages"
          role="log"
          aria-live="polite"
          aria-relevant="additions"
          aria-busy={threadLoading}
        >
          {thread.length === 0 && !threadLoading && !sending && (
            <div className="chat-welcome">
              <p className="state-title">How can I help with your tasks?</p>
              <p className="muted">Ask in plain words. I can add, list, complete, rename and delete tasks.</p>
              <div className="suggestions">
                {SUGGESTIONS.map((suggestion) => (
                  <button
                    key={suggestion}
                    type="button"
                    className="suggestion"
                    onClick={() => void send(suggestion)}
                  >
                    {suggestion}
                  </button>
                ))}
              </div>
            </div>
          )}
          {threadLoading && <p className="muted small center">Loading messages…</p>}
          {thread.map((item) => {
            const waiting = item.streaming && !item.content && (item.toolCalls?.length ?? 0) === 0;
            return (
              <div
                key={item.key}
                className={`message ${item.role}${item.failed ? " is-failed" : ""}${item.streaming ? " pending" : ""}${item.stopped ? " is-stopped" : ""}`}
                data-role={item.role}
                data-streaming={item.streaming ? "true" : undefined}
                aria-busy={item.streaming ? true : undefined}
              >
                <span className="visually-hidden">
                  {item.role === "user" ? "You said:" : "Assistant said:"}
                </span>
                {item.toolCalls && item.toolCalls.length > 0 && (
                  <div className="tool-calls">
                    {item.toolCalls.map((call, index) => (
                      // Tool calls have no id and never reorder within a reply.
                      <ToolCallChip key={index} call={call} running={call.running === true} />
                    ))}
                  </div>
                )}
                {waiting ? (
                  <div className="bubble typing" role="status">
                    <span className="dot" />
                    <span className="dot" />
                    <span className="dot" />
                    <span className="visually-hidden">Assistant is thinking…</span>
                  </div>
                ) : item.role === "assistant" ? (
                  (item.content || !item.streaming) && (
                    <div className={`bubble${item.streaming ? " is-streaming" : ""}`}>
                      <Markdown text={item.content} />
                    </div>
                  )
                ) : (
                  <div className="bubble">{item.content}</div>
                )}
                {item.failed && <span className="message-status">Not sent</span>}
              </div>
            );
          })}
          <div ref={endRef} />
        </div>
        {threadError && (
          <p className="form-error thread-error" role="alert">
            {threadError}
          </p>
        )}
        <form className="chat-composer" onSubmit={onSubmit}>
          <label htmlFor={`${id}-input`} className="visually-hidden">
            Message the assistant
          </label>
          <textarea
            ref={inputRef}
            id={`${id}-input`}
            rows={1}
            placeholder="Ask about your tasks…"
            title="Enter to send, Shift+Enter for a new line, Esc to stop a reply"
            value={draft}
            maxLength={4000}
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
          />
          {sending ? (
            <button type="button" className="button danger-outline" onClick={stop} title="Stop (Esc)">
              <span className="stop-icon" aria-hidden="true" /> Stop
            </button>
          ) : (
            <button type="submit" className="button primary" disabled={!draft.trim()}>
              Send
            </button>
          )}
        </form>
      </section>

      <aside className="tasks-panel" aria-labelledby={`${id}-tasks`}>
        <div className="panel-header">
          <h2 id={`${id}-tasks`}>Your tasks</h2>
          <Link href="/tasks" className="link-button small">
            Open list
          </Link>
        </div>
        <TaskList state={tasks} compact onRetry={() => void tasksStore.refresh()} />
      </aside>
    </div>
  );
}
