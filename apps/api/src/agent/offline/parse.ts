// The offline agent's understanding of one message: which action, on which task (by id or by
// name), with which title or filter. Pure functions of the text, so they are easy to test and
// the same message always means the same thing.

import { ID_MAX } from "../../http/schemas.js";

/** A task by id, or by name; `pick` chooses among several matches (1-based, -1 = the last). */
export type TaskRef = { id: number } | { name: string; pick?: number };
export type ListStatus = "all" | "pending" | "completed";

export type Intent =
  | { kind: "add"; title: string; description?: string }
  | { kind: "list"; status: ListStatus }
  | { kind: "complete"; ref: TaskRef }
  | { kind: "delete"; ref: TaskRef }
  | { kind: "update"; ref: TaskRef; title?: string; description?: string }
  /** Something is missing; `ask` is the question to put to the user. */
  | { kind: "ask"; ask: "add_title" | "which_task" | "new_title"; action?: "complete" | "delete" | "update" }
  | { kind: "bulk"; action: "complete" | "delete" }
  | { kind: "other_user" }
  | { kind: "greeting" }
  | { kind: "thanks" }
  | { kind: "help" };

const POLITE =
  /^(?:(?:hey|hi|hello|ok(?:ay)?|so|well|um+|please|pls|kindly|now|also|and|then|alright|right)\b[\s,!.]*)+/i;
const ASK_PREFIX =
  /^(?:(?:can|could|would|will) you(?: please)?|i(?:'d| would) like(?: you)? to|i want(?: you)? to|let's|lets|go ahead and|help me(?: to)?|you can|you should)\s+/i;

/** Strips greetings and "could you please" so that the verb comes first. */
export function normalize(text: string): string {
  let t = text.trim().replace(/\s+/g, " ");
  for (let i = 0; i < 3; i++) {
    const before = t;
    t = t.replace(POLITE, "").replace(ASK_PREFIX, "").trim();
    if (t === before) break;
  }
  return t.replace(/[\s.!?]+$/g, "").replace(/\s+please$/i, "");
}

/** A quoted part: "…", “…”, or '…' when the quotes are not apostrophes. */
export function quoted(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/"([^"]+)"|“([^”]+)”|(?:^|[\s(:])['‘]([^'’]+)['’](?=$|[\s).,!?:;])/g)) {
    const value = (m[1] ?? m[2] ?? m[3] ?? "").trim();
    if (value) found.push(value);
  }
  return found;
}

const ID =
  /(?:\b(?:task|item|todo|number|no\.?|id)\s*(?:number\s*|no\.?\s*|id\s*)?#?\s*(\d+)\b|#\s*(\d+)\b|^(\d+)$)/i;

/** "task 3", "#3", "item no. 3", "number 3" → 3. */
export function taskIdIn(text: string): number | undefined {
  const m = ID.exec(text.trim());
  const raw = m?.[1] ?? m?.[2] ?? m?.[3];
  if (!raw) return undefined;
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 && id <= ID_MAX ? id : undefined;
}

const ORDINALS: Record<string, number> = {
  first: 1,
  "1st": 1,
  second: 2,
  "2nd": 2,
  third: 3,
  "3rd": 3,
  fourth: 4,
  "4th": 4,
  fifth: 5,
  "5th": 5,
};

/** "the second one" → 2; "the last one" → -1. For answers to "which one did you mean?". */
export function ordinalIn(text: string): number | undefined {
  const t = text.toLowerCase();
  if (/\b(last|latter)\b/.test(t)) return -1;
  if (/\bformer\b/.test(t)) return 1;
  for (const [word, n] of Object.entries(ORDINALS)) {
    if (new RegExp(`\\b${word}\\b`).test(t)) return n;
  }
  return undefined;
}

// Words that point at a task without naming it: "the groceries one", "my task about X".
const FILLER =
  /\b(?:the|a|an|my|this|that|one|ones|task|tasks|item|items|todo|to-do|thing|entry|called|named|titled|about|for|on|list|please|which|is|it)\b/gi;

/** The name part of a reference: quotes win, then the words that are left once fillers go. */
export function nameRef(fragment: string): TaskRef | undefined {
  const id = taskIdIn(fragment);
  if (id !== undefined) return { id };
  const q = quoted(fragment)[0];
  if (q) return { name: q };
  const name = fragment
    .replace(/\b(?:from|off|in|on) (?:my|the) (?:todo |to-do |task )?list\b/gi, "")
    .replace(/\b(?:as|is|now)?\s*(?:done|complete|completed|finished)\b/gi, "")
    .replace(FILLER, " ")
    .replace(/[^\p{L}\p{N}\s'&-]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  return name ? { name } : undefined;
}

/** Trims "to my list", "a task to", "called" and the like around a title to add. */
function cleanTitle(raw: string): string {
  let t = raw.trim();
  t = t.replace(
    /^(?:a |an )?(?:new )?(?:task|todo|to-do|item|reminder|note)s?\b\s*(?:to |for |called |named |titled |that says |:|-)?\s*/i,
    "",
  );
  t = t.replace(/^(?:called|named|titled|that says|to)\s+/i, "");
  t = t.replace(/\s+(?:to|on|in|onto|into) (?:my|the) (?:[\w-]+ )?list$/i, "");
  // "tomorrow to call John" (from "remind me tomorrow to call John") → "call John tomorrow".
  const when =
    /^((?:today|tonight|tomorrow|this \w+|next \w+|on \w+|at [\w:]+)(?: (?:morning|afternoon|evening|night))?) to (.+)$/i.exec(
      t,
    );
  if (when?.[1] && when[2]) t = `${when[2]} ${when[1]}`;
  t = t.replace(/\s+(?:to|on|in) my (?:tasks|todos)$/i, "");
  t = t.replace(/^[:\-–—\s]+|[\s,;:\-–—]+$/g, "");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function splitDescription(text: string): { title: string; description?: string } {
  const m =
    /^(.*?)\s*(?:,\s*|\s+)(?:with (?:the )?(?:description|details?|notes?)|description:|details?:|notes?:)\s*(.+)$/i.exec(
      text,
    );
  if (m?.[1] && m[2]) return { title: m[1], description: m[2].replace(/^["“']|["”']$/g, "") };
  return { title: text };
}

// ---- verb tables -------------------------------------------------------------------------------
// The words that start (or mark) each kind of request, longest form first where one phrase begins
// another ("forget about" before "forget"), as the regexes built from them try them in order.

const escape = (phrase: string) => phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alternatives = (phrases: readonly string[]) => phrases.map(escape).join("|");

/** `^(verb) rest`: the message starts with one of the phrases; group 1 is what follows it. */
const startingWith = (phrases: readonly string[], extra = "") =>
  new RegExp(`^(?:${alternatives(phrases)}${extra})\\b\\s*(.*)$`, "i");

/** One of the phrases as whole words anywhere in the text. */
const anyOf = (phrases: readonly string[]) => new RegExp(`\\b(?:${alternatives(phrases)})\\b`, "i");

const UPDATE_VERBS = ["rename", "change", "update", "edit", "modify", "retitle", "correct", "fix"];

const DELETE_VERBS = [
  "delete",
  "remove",
  "cancel",
  "drop",
  "erase",
  "trash",
  "scrap",
  "discard",
  "get rid of",
  "forget about",
  "forget",
  "cross out",
  "strike",
];

const COMPLETE_VERBS = [
  "complete",
  "finish",
  "finished",
  "completed",
  "mark",
  "check off",
  "tick off",
  "tick",
  "cross off",
  "close",
  "done with",
  "done",
  "i've finished",
  "i've completed",
  "i've done",
  "i have finished",
  "i have completed",
  "i have done",
  "i finished",
  "i completed",
  "i done",
  "i'm done with",
  "i'm finished with",
  "i am done with",
  "i am finished with",
  "i did",
  "i just did",
  "just did",
  "just finished",
  "just completed",
];

const ADD_VERBS = [
  "add",
  "create",
  "new task",
  "new todo",
  "new",
  "remember to",
  "remember",
  "note down",
  "note",
  "put",
  "write down",
  "jot down",
  "schedule",
  "set up a task",
  "remind me to",
  "remind me",
  "don't let me forget to",
  "i need to",
  "i have to",
  "i've got to",
  "i gotta",
  "i must",
  "i should",
  "todo:",
  "to-do:",
  "task:",
];
// "make" adds only when a task is what gets made ("make a new task: …", not "make dinner").
const MAKE_A_TASK = "|make(?= (?:a |an )?(?:new )?(?:task|todo|to-do|reminder|note))";

/** Words of a question about the list ("show", "what's", "how many"). */
const LIST_WORDS = [
  "show",
  "list",
  "see",
  "view",
  "display",
  "print",
  "give me",
  "tell me",
  "what's",
  "what is",
  "what are",
  "what do",
  "what did",
  "what have",
  "what else",
  "what",
  "which",
  "how many",
  "anything",
  "any tasks",
  "my tasks",
  "my todos",
  "my todo",
  "my todo list",
  "my to-do list",
  "my list",
  "overview",
  "agenda",
  "tasks?",
];

/** …and what it is about: tasks, or their state. */
const LIST_TOPICS = [
  "tasks",
  "task",
  "todos",
  "todo",
  "to-dos",
  "to-do",
  "list",
  "left",
  "pending",
  "remaining",
  "do",
  "done",
  "finish",
  "finished",
  "completed",
  "complete",
  "plate",
  "agenda",
  "outstanding",
  "open",
];

const NOT_YET = ["not", "never", "haven't", "havent", "didn't", "didnt", "yet to"];
const DONE_WORDS = ["done", "complete", "completed", "finished", "do"];
const COMPLETED_WORDS = [
  "completed",
  "finished",
  "done",
  "accomplished",
  "ticked off",
  "checked off",
  "crossed off",
];
const PENDING_WORDS = [
  "pending",
  "left",
  "remaining",
  "outstanding",
  "open",
  "incomplete",
  "unfinished",
  "undone",
  "still",
  "next",
  "to do",
  "due",
  "remain",
];

const UPDATE = startingWith(UPDATE_VERBS);
const DELETE = startingWith(DELETE_VERBS);
const COMPLETE = startingWith(COMPLETE_VERBS);
const ADD = startingWith(ADD_VERBS, MAKE_A_TASK);
const LIST_QUESTION = anyOf(LIST_WORDS);
const LIST_TOPIC = anyOf(LIST_TOPICS);
const NOT_YET_DONE = new RegExp(`${anyOf(NOT_YET).source}.*${anyOf(DONE_WORDS).source}`);
const COMPLETED = anyOf(COMPLETED_WORDS);
const PENDING = anyOf(PENDING_WORDS);

const OTHER_USER =
  /\b(?:another user|other users?|other (?:people|person)|someone else|somebody else|all users|user(?:_id| id)\s*[:=#]?\s*\S+|user\s+[\w-]*\d[\w-]*|everyone's|everybody's|(?:his|her|their) tasks?|[a-z]+'s (?:tasks?|list|todos?))\b/i;

function parseAdd(text: string, rest: string): Intent {
  const q = quoted(text);
  const { title: rawTitle, description } = splitDescription(rest);
  const title = q[0] ?? cleanTitle(rawTitle);
  if (!title) return { kind: "ask", ask: "add_title" };
  const desc = q[1] ?? description;
  return desc ? { kind: "add", title, description: desc } : { kind: "add", title };
}

function parseUpdate(text: string, rest: string): Intent {
  const q = quoted(text);
  const wantsDescription = /\b(?:description|details?|notes?)\b/i.test(rest);
  // "rename task 3 to X", "change 'A' to 'B'", "update the description of task 2 to X".
  const split = /^(.*?)(?:\s+(?:to|into|as|->|→)\s+|\s*:\s*)(.+)$/i.exec(rest);
  const target = split?.[1] ?? rest;
  let value = split?.[2];
  if (q.length >= 2) value = q[q.length - 1];
  else if (q.length === 1 && value && !quoted(target).length) value = q[0];
  value = value?.replace(/^["“'‘]|["”'’]$/g, "").trim();
  const cleanedTarget = target
    .replace(/\b(?:the )?(?:title|name|description|details?|notes?) (?:of|for)\b/gi, "")
    .replace(/\b(?:'s|s') (?:title|name|description)\b/gi, "")
    .replace(/\b(?:title|name|description)\b/gi, "");
  const ref: TaskRef | undefined = q.length >= 2 && q[0] ? { name: q[0] } : nameRef(cleanedTarget);
  if (!ref) return { kind: "ask", ask: "which_task", action: "update" };
  if (!value) return { kind: "ask", ask: "new_title", action: "update" };
  if (wantsDescription) return { kind: "update", ref, description: value };
  // Quoted titles are taken verbatim; free text gets a capital like added titles.
  const title = q.length > 0 ? value : value.charAt(0).toUpperCase() + value.slice(1);
  return { kind: "update", ref, title };
}

function listStatus(t: string): ListStatus {
  if (NOT_YET_DONE.test(t)) return "pending";
  if (COMPLETED.test(t) || /\bdid i (?:do|finish|complete|get done)\b/.test(t)) return "completed";
  if (PENDING.test(t)) return "pending";
  return "all";
}

/** The intent of one message on its own (without the conversation). */
export function parseIntent(message: string): Intent {
  const text = normalize(message);
  const t = text.toLowerCase();
  if (!t) return { kind: "help" };
  if (
    /^(?:thanks|thank you|thx|ty|cheers|great|perfect|awesome|cool|nice)\b/.test(t) &&
    t.split(" ").length <= 4
  ) {
    return { kind: "thanks" };
  }
  if (/^(?:hi|hello|hey|good (?:morning|afternoon|evening)|howdy|yo)$/.test(t)) return { kind: "greeting" };
  if (/^(?:help|what can you do|how does this work|who are you|what are you)\b/.test(t))
    return { kind: "help" };
  if (OTHER_USER.test(quoted(text).length ? text.replace(/"[^"]*"|“[^”]*”/g, "") : text)) {
    return { kind: "other_user" };
  }

  let m: RegExpExecArray | null;
  // --- update -----------------------------------------------------------------------------
  if ((m = UPDATE.exec(text))) {
    return parseUpdate(text, m[1] ?? "");
  }
  // --- delete -----------------------------------------------------------------------------
  if ((m = DELETE.exec(text))) {
    const rest = (m[1] ?? "").replace(/\b(?:off|from|out of) (?:my|the) (?:todo |to-do |task )?list\b/i, "");
    if (/^(?:all|every|everything)\b/i.test(rest.trim())) return { kind: "bulk", action: "delete" };
    const ref = nameRef(rest);
    return ref ? { kind: "delete", ref } : { kind: "ask", ask: "which_task", action: "delete" };
  }
  if ((m = /^take (.+?) (?:off|out of) (?:my|the) (?:todo |to-do |task )?list$/i.exec(text))) {
    const ref = nameRef(m[1] ?? "");
    if (ref) return { kind: "delete", ref };
  }
  if ((m = /^(.+?)\s+(?:can|should) (?:be )?(?:go|deleted|removed|cancell?ed)$/i.exec(text))) {
    const ref = nameRef(m[1] ?? "");
    if (ref) return { kind: "delete", ref };
  }
  if ((m = /^i (?:no longer|don't|do not) (?:need|have|want) to (.+?)(?: anymore| any more)?$/i.exec(text))) {
    const ref = nameRef(m[1] ?? "");
    if (ref) return { kind: "delete", ref };
  }
  // --- complete ---------------------------------------------------------------------------
  if ((m = COMPLETE.exec(text))) {
    const rest = (m[1] ?? "")
      .replace(/\s+(?:as|to)\s+(?:done|complete|completed|finished)$/i, "")
      .replace(/\s+(?:done|complete|completed|off)$/i, "");
    if (/^(?:all|every|everything)\b/i.test(rest.trim())) return { kind: "bulk", action: "complete" };
    const ref = nameRef(rest);
    return ref ? { kind: "complete", ref } : { kind: "ask", ask: "which_task", action: "complete" };
  }
  if (
    (m = /^(.+?)\s+(?:is|are)?\s*(?:done|complete|completed|finished)$/i.exec(text)) &&
    !/^(?:what|which|how|show|list)\b/i.test(text)
  ) {
    const ref = nameRef(m[1] ?? "");
    if (ref) return { kind: "complete", ref };
  }
  // --- add --------------------------------------------------------------------------------
  if ((m = ADD.exec(text))) {
    return parseAdd(text, m[1] ?? "");
  }
  // --- list -------------------------------------------------------------------------------
  if (LIST_QUESTION.test(t) && LIST_TOPIC.test(t)) {
    return { kind: "list", status: listStatus(t) };
  }
  if (/^(?:tasks|todos|my tasks|pending|completed|done|finished|list|to-?do list)$/.test(t)) {
    return { kind: "list", status: listStatus(t) };
  }
  return { kind: "help" };
}
