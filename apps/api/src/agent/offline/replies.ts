// Every sentence the offline agent says, in one table: the wording lives here, the decisions in
// offline-model.ts.
import { TASK_TITLE_MAX_LENGTH } from "../../tasks/schemas.js";
import type { ListedTask } from "./match.js";

const line = (t: ListedTask) => `${t.completed ? "✓" : "•"} #${t.id} ${t.title}`;
const lines = (tasks: ListedTask[]) => tasks.map(line).join("\n");
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
type Done = { task_id: number; title: string };

const HELP =
  'I\'m your todo assistant. I can add tasks ("add buy groceries"), show them ("what\'s left?", ' +
  '"what did I finish?"), mark them done ("task 3 is done"), rename them ("rename task 3 to call mom") ' +
  'and delete them ("delete the groceries one").';
const ASK_WHICH = "Which one did you mean?";

export const REPLY = {
  help: HELP,
  greeting: `Hi! ${HELP}`,
  thanks: "You're welcome! Anything else on your list?",
  otherUser: "I can only see and change your own tasks, so I can't do anything with another person's list.",
  oneAtATime: (action: "complete" | "delete") =>
    `I ${action} tasks one at a time to be safe — tell me which one, for example "${action} task 3".`,
  titleTooLong: `That title is a bit long: titles can have up to ${TASK_TITLE_MAX_LENGTH} characters. Could you shorten it?`,
  askTitle: 'Sure! What should the new task say? For example: "add buy groceries".',
  askNewTitle: 'What should I change it to? For example: "rename task 3 to call mom".',
  askWhichTask: (verb: string) => `Which task should I ${verb}? Tell me its number (like #3) or its name.`,
  fewerMatches: (name: string, matches: ListedTask[]) =>
    `Only ${plural(matches.length, "task")} match "${name}". ${ASK_WHICH}\n${lines(matches)}`,
  severalMatches: (name: string, matches: ListedTask[]) =>
    `I found ${matches.length} tasks matching "${name}". ${ASK_WHICH}\n${lines(matches)}\n` +
    `Reply with the task number, for example "#${matches[0]?.id}".`,
  noMatch: (name: string) =>
    `I couldn't find a task matching "${name}". Say "show my tasks" to see your list.`,
  alreadyDone: (t: ListedTask) => `"${t.title}" (#${t.id}) is already marked as done. ✓`,
  notFound: (id: unknown) =>
    `I couldn't find task #${id} on your list. Say "show my tasks" to see what's there.`,
  failed: (message: string) => `Sorry, that didn't work: ${message}`,
  added: (r: Done) => `Got it! I've added "${r.title}" to your list (task #${r.task_id}).`,
  completed: (r: Done) => `Nice work! I've marked "${r.title}" (#${r.task_id}) as done. ✓`,
  deleted: (r: Done) => `Done — I've deleted "${r.title}" (#${r.task_id}) from your list.`,
  renamed: (r: Done) => `Updated! Task #${r.task_id} is now "${r.title}".`,
  described: (r: Done) => `Updated the description of "${r.title}" (#${r.task_id}).`,
  done: "Done.",
  list: {
    pending: (tasks: ListedTask[]) =>
      tasks.length === 0
        ? "Nothing left to do — you're all caught up! 🎉"
        : `You have ${plural(tasks.length, "task")} left:\n${lines(tasks)}`,
    completed: (tasks: ListedTask[]) =>
      tasks.length === 0
        ? "You haven't completed any tasks yet — you've got this!"
        : `You've completed ${plural(tasks.length, "task")}:\n${lines(tasks)}`,
    all: (tasks: ListedTask[]) => {
      if (tasks.length === 0) return 'Your list is empty. Want to add something? Try "add buy groceries".';
      const done = tasks.filter((t) => t.completed).length;
      return `Here are your tasks (${tasks.length - done} pending, ${done} done):\n${lines(tasks)}`;
    },
  },
};
