// The whole product in a real browser: two users, the tasks page, the chat assistant changing tasks,
// the isolation between users, streamed replies (online agent against a fake model server that
// streams like Ollama, the only fake), and personal API keys used by a real MCP client.
// Screenshots land in artifacts/screenshots/ on every run (docs/screenshots holds copies).

import { mkdirSync } from "node:fs";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwtClaims } from "@/lib/jwt";
import { type FakeLlm, lastToolResult, startFakeLlm } from "../../../tests/support/fake-llm";
import { CHROMIUM_ARGS, ensureBuild, findChromium, repoRoot, type Stack, startStack } from "./harness";

const browserPath = findChromium();
const browserRequired = process.env.CI === "true";
const screenshots = path.join(repoRoot, "artifacts/screenshots");

if (!browserPath && !browserRequired) {
  console.warn(
    `e2e: SKIPPED, no Chromium found${process.env.CHROME_PATH ? ` at CHROME_PATH=${process.env.CHROME_PATH}` : ""} ` +
      "(set CHROME_PATH or `apt-get install -y chromium`); under CI=true this fails",
  );
}

describe.skipIf(!browserPath && !browserRequired)("the web app in Chromium", () => {
  let stack: Stack | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!browserPath)
      throw new Error("CI=true but no Chromium was found: install chromium or set CHROME_PATH");
    await ensureBuild((line) => console.log(line));
    stack = await startStack();
    browser = await chromium.launch({ executablePath: browserPath, headless: true, args: CHROMIUM_ARGS });
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 30_000);

  async function newPage(width = 1280, height = 820): Promise<Page> {
    if (!browser) throw new Error("no browser");
    const context = await browser.newContext({ viewport: { width, height }, colorScheme: "light" });
    context.setDefaultTimeout(15_000);
    return context.newPage();
  }

  async function signUp(page: Page, name: string, email: string) {
    await page.goto(`${stack?.webUrl}/tasks`);
    await page.waitForURL(/\/sign-in$/);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/sign-up$/);
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/tasks$/);
  }

  function taskItem(page: Page, scope: string, title: string) {
    return page.locator(`${scope} li[data-task-id]`, { hasText: title });
  }

  async function sendChat(page: Page, message: string, replyCount: number) {
    await page.getByLabel("Message the assistant").fill(message);
    await page.getByLabel("Message the assistant").press("Enter");
    await expect.poll(() => page.locator(".message.assistant:not(.pending)").count()).toBe(replyCount);
  }

  it("signs up, manages tasks by hand and through the assistant, signs out, and keeps users apart", async () => {
    const page = await newPage();
    const stamp = Date.now();
    try {
      // 1. Sign up; the tasks page starts empty.
      await signUp(page, "Ada Lovelace", `ada-${stamp}@example.com`);
      await expect.poll(() => page.getByText("No tasks yet").isVisible()).toBe(true);

      // 2. Add a task in the UI, edit it in place, add and delete another with confirmation.
      await page.getByLabel("New task title").fill("Write the quarterly report");
      await page.getByRole("button", { name: "Add task" }).click();
      await expect.poll(() => taskItem(page, ".tasks-page", "Write the quarterly report").count()).toBe(1);

      await page.getByRole("button", { name: "Edit “Write the quarterly report”" }).click();
      const editor = page.getByRole("form", { name: /^Edit task/ });
      await editor.getByLabel("Title").fill("Write the Q3 report");
      await editor.getByLabel("Notes").fill("Numbers from finance first");
      await editor.getByRole("button", { name: "Save" }).click();
      await expect.poll(() => taskItem(page, ".tasks-page", "Write the Q3 report").count()).toBe(1);
      await expect.poll(() => page.getByText("Numbers from finance first").isVisible()).toBe(true);

      await page.getByLabel("New task title").fill("Throwaway");
      await page.getByLabel("New task title").press("Enter");
      await expect.poll(() => taskItem(page, ".tasks-page", "Throwaway").count()).toBe(1);
      await page.getByRole("button", { name: "Delete “Throwaway”" }).click();
      const dialog = page.getByRole("dialog", { name: "Delete this task?" });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await dialog.getByRole("button", { name: "Delete" }).click();
      await expect.poll(() => taskItem(page, ".tasks-page", "Throwaway").count()).toBe(0);

      // 3. In chat, the assistant adds a task; the side panel list refreshes by itself.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Assistant" }).click();
      await page.waitForURL(/\/chat$/);
      // Hold the first chat turn until the pending indicator has been seen.
      let releaseTurn: () => void = () => {};
      const turnHeld = new Promise<void>((resolve) => {
        releaseTurn = resolve;
      });
      await page.route("**/chat", async (route) => {
        await turnHeld;
        await route.continue();
      });
      await page.getByLabel("Message the assistant").fill("add a task to buy milk");
      await page.getByLabel("Message the assistant").press("Enter");
      await expect
        .poll(() => page.getByRole("status").filter({ hasText: "Assistant is thinking" }).count())
        .toBe(1);
      // While a reply is on its way, Stop takes the place of Send.
      expect(await page.getByRole("button", { name: "Stop" }).isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "Send" }).count()).toBe(0);
      releaseTurn();
      await expect.poll(() => page.locator(".message.assistant:not(.pending)").count()).toBe(1);
      await page.unroute("**/chat");
      await expect.poll(() => page.locator(".tool-call[data-tool=add_task]").count()).toBe(1);
      const milk = taskItem(page, ".tasks-panel", "buy milk");
      await expect.poll(() => milk.count()).toBe(1);
      const milkId = await milk.getAttribute("data-task-id");
      expect(milkId).toMatch(/^\d+$/);

      // 4. The assistant completes it by number; the list shows it completed.
      await sendChat(page, `mark task ${milkId} as complete`, 2);
      await expect.poll(() => page.locator(".tool-call[data-tool=complete_task]").count()).toBe(1);
      await expect.poll(() => milk.getAttribute("data-completed")).toBe("true");
      await expect.poll(() => page.locator(".conversation").count()).toBe(1);
      await page.screenshot({ path: path.join(screenshots, "chat.png") });

      // Reloaded and opened again, the conversation still shows its tool steps, rendered as live.
      const liveSteps = await page.locator(".tool-call").allInnerTexts();
      await page.reload();
      await page.locator(".conversation", { hasText: "add a task to buy milk" }).click();
      await expect.poll(() => page.locator(".message.assistant").count()).toBe(2);
      const reopened = page.locator(".tool-call[data-state=done]");
      expect(await reopened.evaluateAll((els) => els.map((el) => el.getAttribute("data-tool")))).toEqual([
        "add_task",
        "complete_task",
      ]);
      expect(await reopened.allInnerTexts()).toEqual(liveSteps);
      expect(liveSteps[0]).toContain("Added #");
      expect(liveSteps[1]).toContain(`Completed #${milkId}`);

      // 5. The tasks page agrees, and its filters split pending from completed.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tasks" }).click();
      await page.waitForURL(/\/tasks$/);
      const milkOnPage = taskItem(page, ".tasks-page", "buy milk");
      await expect.poll(() => milkOnPage.getAttribute("data-completed")).toBe("true");
      expect(await milkOnPage.getByRole("checkbox").isChecked()).toBe(true);
      await page.screenshot({ path: path.join(screenshots, "tasks.png") });
      await page.getByRole("radio", { name: "Completed" }).check();
      await expect
        .poll(() => page.locator(".tasks-page li[data-task-id]").allInnerTexts())
        .toEqual([expect.stringMatching(/buy milk/i)]);
      await page.getByRole("radio", { name: "Pending" }).check();
      await expect
        .poll(() => page.locator(".tasks-page li[data-task-id]").allInnerTexts())
        .toEqual([expect.stringContaining("Write the Q3 report")]);
      const firstUserTasksPath = `/api/${(await identity(page)).userId}/tasks`;

      // 6. Sign out: protected pages send the visitor to sign-in. A wrong password is refused with
      // a message; the right one brings the same tasks back.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in$/);
      await page.goto(`${stack?.webUrl}/chat`);
      await page.waitForURL(/\/sign-in$/);
      await page.getByLabel("Email").fill(`ada-${stamp}@example.com`);
      await page.getByLabel("Password").fill("not my password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.locator(".form-error").innerText()).toMatch(/invalid email or password/i);
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/tasks$/);
      await expect.poll(() => taskItem(page, ".tasks-page", "buy milk").count()).toBe(1);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in$/);

      // 7. A second user sees none of it, and the API refuses the first user's path.
      await signUp(page, "Grace Hopper", `grace-${stamp}@example.com`);
      await expect.poll(() => page.getByText("No tasks yet").isVisible()).toBe(true);
      expect(await page.getByText("buy milk").count()).toBe(0);
      await page.goto(`${stack?.webUrl}/chat`);
      await expect.poll(() => page.getByText("No conversations yet").isVisible()).toBe(true);
      const status = await page.evaluate(async (tasksPath) => {
        const { token } = (await (await fetch("/api/auth/token")).json()) as { token: string };
        return (await fetch(tasksPath, { headers: { authorization: `Bearer ${token}` } })).status;
      }, firstUserTasksPath);
      expect(status).toBe(403);
    } catch (error) {
      await page.screenshot({ path: path.join(screenshots, "failure.png") }).catch(() => {});
      console.error(stack?.logs());
      throw error;
    } finally {
      await page.context().close();
    }
  }, 120_000);

  it("shows an error state with a retry when the API fails, then the empty state", async () => {
    const page = await newPage();
    try {
      await signUp(page, "Error Case", `error-${Date.now()}@example.com`);
      await page.route("**/tasks?status=*", (route) =>
        route.fulfill({
          status: 502,
          contentType: "application/json",
          body: JSON.stringify({ error: { code: "bad_gateway", message: "The API server is unreachable." } }),
        }),
      );
      await page.reload();
      const alert = page.getByRole("alert").filter({ hasText: "Couldn't load your tasks" });
      await expect.poll(() => alert.isVisible()).toBe(true);
      expect(await alert.innerText()).toContain("The API server is unreachable.");
      await page.unroute("**/tasks?status=*");
      await alert.getByRole("button", { name: "Try again" }).click();
      await expect.poll(() => page.getByText("No tasks yet").isVisible()).toBe(true);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it("fits a phone screen", async () => {
    const page = await newPage(390, 844);
    try {
      await signUp(page, "Phone User", `phone-${Date.now()}@example.com`);
      // Sign-up loads /tasks as a new page: typing into the composer before React has hydrated it
      // is lost (the controlled input resets), so wait for the loaded, empty list as the others do.
      await expect.poll(() => page.getByText("No tasks yet").isVisible()).toBe(true);
      await page.getByLabel("New task title").fill("Call the plumber");
      await page.getByRole("button", { name: "Add task" }).click();
      await expect.poll(() => taskItem(page, ".tasks-page", "Call the plumber").count()).toBe(1);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      expect(overflow).toBe(false);
      await page.screenshot({ path: path.join(screenshots, "tasks-phone.png"), fullPage: true });
      await page.goto(`${stack?.webUrl}/chat`);
      await expect.poll(() => page.getByText("No conversations yet").isVisible()).toBe(true);
      await expect.poll(() => taskItem(page, ".tasks-panel", "Call the plumber").count()).toBe(1);
      expect(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)).toBe(false);
      await page.screenshot({ path: path.join(screenshots, "chat-phone.png"), fullPage: true });
    } finally {
      await page.context().close();
    }
  }, 60_000);

  /** The signed-in user's id and a fresh JWT, read the way the app does (through /api/auth/token). */
  async function identity(page: Page): Promise<{ userId: string; token: string }> {
    const token = await page.evaluate(async () => {
      const answer = (await (await fetch("/api/auth/token")).json()) as { token: string };
      return answer.token;
    });
    return { userId: decodeJwtClaims(token).sub, token };
  }

  it("creates an API key on the Settings page, uses it from an MCP client, revokes it: then 401", async () => {
    const page = await newPage();
    try {
      await signUp(page, "Key Owner", `keys-${Date.now()}@example.com`);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
      await page.waitForURL(/\/settings$/);
      await expect.poll(() => page.getByText("No keys yet.").isVisible()).toBe(true);
      await page.getByLabel("Key name").fill("e2e laptop");
      await page.getByRole("button", { name: "Create key" }).click();

      // Shown once, with a copy button and ready-to-paste client configurations.
      const createdCard = page.locator(".created-key");
      await expect.poll(() => createdCard.isVisible()).toBe(true);
      const key = (await createdCard.locator(".copy-block pre").first().innerText()).trim();
      expect(key).toMatch(/^todo_\w{20,}$/);
      expect(await createdCard.getByRole("button", { name: "Copy API key" }).isVisible()).toBe(true);
      const desktop = JSON.parse(await createdCard.locator(".copy-block pre").nth(1).innerText()) as {
        mcpServers: Record<string, { type: string; url: string; headers: Record<string, string> }>;
      };
      expect(desktop.mcpServers["todo-chatbot"]).toEqual({
        type: "http",
        url: `${stack?.webUrl}/mcp`,
        headers: { Authorization: `Bearer ${key}` },
      });
      await createdCard.getByRole("tab", { name: "kagent" }).click();
      const kagent = await createdCard.locator(".copy-block pre").nth(1).innerText();
      expect(kagent).toContain("kind: RemoteMCPServer");
      expect(kagent).toContain(`--from-literal=authorization='Bearer ${key}'`);
      await page.screenshot({ path: path.join(screenshots, "settings.png") });

      // A real MCP client with the key, through the web origin's /mcp: the key acts as its owner.
      const client = new Client({ name: "e2e-desktop", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${stack?.webUrl}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${key}` } },
        }),
      );
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        "add_task",
        "complete_task",
        "delete_task",
        "list_tasks",
        "update_task",
      ]);
      const added = await client.callTool({ name: "add_task", arguments: { title: "Added over MCP" } });
      expect(added.isError ?? false).toBe(false);
      await client.close();

      // Listed with its creation time; the task is the owner's.
      await createdCard.getByRole("button", { name: "I've saved it" }).click();
      const row = page.locator("tr[data-key-id]", { hasText: "e2e laptop" });
      await expect.poll(() => row.count()).toBe(1);
      expect(await row.locator("td").nth(2).innerText()).toMatch(/just now|min/);
      await page.goto(`${stack?.webUrl}/tasks`);
      await expect.poll(() => taskItem(page, ".tasks-page", "Added over MCP").count()).toBe(1);

      // Revoke it: the row goes, and the next MCP call with the key is refused.
      await page.goto(`${stack?.webUrl}/settings`);
      await page.getByRole("button", { name: "Revoke “e2e laptop”" }).click();
      const dialog = page.getByRole("dialog", { name: "Revoke this key?" });
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await dialog.getByRole("button", { name: "Revoke" }).click();
      await expect.poll(() => row.count()).toBe(0);
      const refused = await fetch(`${stack?.webUrl}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
      });
      expect(refused.status).toBe(401);
    } catch (error) {
      await page.screenshot({ path: path.join(screenshots, "failure-keys.png") }).catch(() => {});
      console.error(stack?.logs());
      throw error;
    } finally {
      await page.context().close();
    }
  }, 90_000);

  describe("streamed replies (online agent, the model streaming like Ollama)", () => {
    let llm: FakeLlm | undefined;
    let online: Stack | undefined;

    beforeAll(async () => {
      llm = await startFakeLlm();
      online = await startStack({ AGENT_MODE: "online", LLM_BASE_URL: llm.url, LLM_MODEL: "llama3.2" });
    }, 120_000);
    afterAll(async () => {
      await online?.stop();
      await llm?.close();
    }, 30_000);

    const streamingReply = (page: Page) => page.locator(".message.assistant[data-streaming=true] .markdown");
    /** Waits until the reply still arriving has text on screen. */
    const firstTokenShown = (page: Page) =>
      expect
        .poll(
          async () =>
            (
              await streamingReply(page)
                .innerText()
                .catch(() => "")
            ).length,
        )
        .toBeGreaterThan(0);
    const fake = () => {
      if (!llm) throw new Error("no fake LLM");
      return llm;
    };

    it("shows tokens and the tool step as they arrive, Markdown with safe links, and stops mid-turn", async () => {
      const page = await newPage();
      try {
        await page.goto(`${online?.webUrl}/tasks`);
        await page.waitForURL(/\/sign-in$/);
        await page.getByRole("link", { name: "Create an account" }).click();
        await page.getByLabel("Name").fill("Stream Tester");
        await page.getByLabel("Email").fill(`stream-${Date.now()}@example.com`);
        await page.getByLabel("Password").fill("correct horse battery");
        await page.getByRole("button", { name: "Create account" }).click();
        await page.waitForURL(/\/tasks$/);
        await page.goto(`${online?.webUrl}/chat`);
        const input = page.getByLabel("Message the assistant");
        /** Sends `message`; the model streams `answer` slowly; resolves once its first token is shown. */
        const sendSlowTurn = async (message: string, answer: string) => {
          fake().script({ content: answer, chunkDelayMs: 250 });
          await input.fill(message);
          await input.press("Enter");
          await firstTokenShown(page);
        };

        // 1. A turn with a tool call, then a slowly streamed Markdown answer.
        const answer =
          'Added **Buy oat milk** to your list.\n\nNext steps:\n\n- check the fridge\n- go shopping\n\nRun `list` or read the [docs](https://example.com/help). <img src="x" onerror="alert(1)">';
        fake().script({ toolCalls: [{ name: "add_task", arguments: { title: "Buy oat milk" } }] }, (req) => ({
          content: answer.replace("Buy oat milk", lastToolResult<{ title: string }>(req).title),
          chunkDelayMs: 150,
        }));
        await input.fill("add buy oat milk");
        await input.press("Enter");
        // The first tokens are on screen while the model is still sending the rest.
        await firstTokenShown(page);
        expect(fake().requests.at(-1)?.completed).toBe(false);
        // The tool step is done with its result, and the task panel already shows the new task.
        const step = page.locator(".tool-call[data-tool=add_task]");
        await expect.poll(() => step.getAttribute("data-state")).toBe("done");
        expect(await step.innerText()).toContain("Added #");
        await expect.poll(() => taskItem(page, ".tasks-panel", "Buy oat milk").count()).toBe(1);
        expect(fake().requests.at(-1)?.completed).toBe(false);
        expect(await page.getByRole("button", { name: "Stop" }).isVisible()).toBe(true);
        await page.screenshot({ path: path.join(screenshots, "chat-streaming.png") });
        await expect
          .poll(() => page.locator(".message.assistant:not(.pending)").count(), { timeout: 20_000 })
          .toBe(1);
        expect(fake().requests.at(-1)?.completed).toBe(true);

        // Rendered as Markdown: bold, a list, inline code, a link opened safely; no raw HTML.
        const reply = page.locator(".message.assistant .markdown").last();
        expect(await reply.locator("strong").innerText()).toBe("Buy oat milk");
        expect(await reply.locator("ul li").allInnerTexts()).toEqual(["check the fridge", "go shopping"]);
        expect(await reply.locator("code").innerText()).toBe("list");
        const link = reply.getByRole("link", { name: "docs" });
        expect(await link.getAttribute("href")).toBe("https://example.com/help");
        expect(await link.getAttribute("target")).toBe("_blank");
        expect(await link.getAttribute("rel")).toBe("noopener noreferrer");
        expect(await reply.locator("img").count()).toBe(0);
        expect(await reply.innerText()).not.toContain("onerror");
        await page.screenshot({ path: path.join(screenshots, "chat-markdown.png") });

        // 2. Shift+Enter is a new line, not a send.
        await input.fill("first line");
        await input.press("Shift+Enter");
        await input.pressSequentially("second line");
        expect(await input.inputValue()).toBe("first line\nsecond line");
        expect(await page.locator(".message.user").count()).toBe(1);
        await input.fill("");

        // 3. The first byte of a streamed turn reaches a client through the web proxy before the turn ends.
        const { userId, token } = await identity(page);
        fake().script({ content: "slow and steady wins the race", chunkDelayMs: 200 });
        const direct = await fetch(`${online?.webUrl}/api/${userId}/chat`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            accept: "text/event-stream",
          },
          body: JSON.stringify({ message: "through the proxy" }),
        });
        expect(direct.headers.get("content-type")).toMatch(/^text\/event-stream/);
        const reader = direct.body?.getReader();
        const first = new TextDecoder().decode((await reader?.read())?.value);
        expect(first).toMatch(/^event: delta\ndata: \{"text":"slow "\}/);
        expect(fake().requests.at(-1)?.completed).toBe(false);
        await reader?.cancel();

        // 4. Stop mid-turn with the Stop button: the model call is aborted, the partial reply stays, marked.
        await sendSlowTurn(
          "tell me a long story",
          "This answer is long and will never be finished by the model at all",
        );
        await page.getByRole("button", { name: "Stop" }).click();
        await expect.poll(() => fake().requests.at(-1)?.aborted).toBe(true);
        const stopped = page.locator(".message.assistant.is-stopped .markdown").last();
        await expect.poll(() => stopped.innerText()).toMatch(/^This\b[\s\S]*\(stopped\)$/);
        await expect.poll(() => page.getByRole("button", { name: "Send" }).isVisible()).toBe(true);

        // 5. Esc stops too.
        await sendSlowTurn("and another one", "Another reply that the user does not want to wait for at all");
        await page.keyboard.press("Escape");
        await expect.poll(() => fake().requests.at(-1)?.aborted).toBe(true);
        await expect.poll(() => page.locator(".message.assistant.is-stopped").count()).toBe(2);

        // The conversation as stored matches what was shown: reopen it from the list.
        await page.getByRole("button", { name: "New" }).click();
        await page.locator(".conversation", { hasText: "add buy oat milk" }).click();
        await expect.poll(() => page.locator(".message.assistant").count()).toBe(3);
        const texts = await page.locator(".message.assistant .markdown").allInnerTexts();
        expect(texts[1]).toMatch(/^This\b[\s\S]*\(stopped\)$/);
        expect(texts[2]).toMatch(/^Another[\s\S]*\(stopped\)$/);
        expect(await page.locator(".tool-call[data-tool=add_task][data-state=done]").count()).toBe(1);
      } catch (error) {
        await page.screenshot({ path: path.join(screenshots, "failure-stream.png") }).catch(() => {});
        console.error(online?.logs());
        throw error;
      } finally {
        await page.context().close();
      }
    }, 120_000);
  });
});
