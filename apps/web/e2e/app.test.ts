// The whole product in a real browser: two users, the tasks page, the chat assistant changing tasks,
// and the isolation between users. Screenshots land in artifacts/screenshots/ on every run.

import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
      expect(await page.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
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
      const firstUserTasksPath = await page.evaluate(async () => {
        const { token } = (await (await fetch("/api/auth/token")).json()) as { token: string };
        const sub = JSON.parse(atob(token.split(".")[1]?.replace(/-/g, "+").replace(/_/g, "/") ?? "")).sub;
        return `/api/${sub}/tasks`;
      });

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
});
