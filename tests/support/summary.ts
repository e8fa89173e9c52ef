// Step timing and the summary table printed at the end of the cluster suite.
export interface StepResult {
  step: string;
  result: "pass" | "FAIL" | "skipped" | "not covered";
  seconds: number;
  note: string;
}

export class Summary {
  readonly steps: StepResult[] = [];
  private failed = false;

  /** Runs a step; once one has failed, the later ones are skipped (they build on each other). */
  async step<T>(name: string, fn: (note: (text: string) => void) => Promise<T>): Promise<T> {
    if (this.failed) {
      this.steps.push({ step: name, result: "skipped", seconds: 0, note: "an earlier step failed" });
      throw new Error(`skipped: an earlier step failed`);
    }
    const started = Date.now();
    let note = "";
    try {
      const value = await fn((text) => {
        note = note ? `${note}; ${text}` : text;
      });
      this.steps.push({ step: name, result: "pass", seconds: (Date.now() - started) / 1000, note });
      return value;
    } catch (error) {
      this.failed = true;
      const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
      this.steps.push({
        step: name,
        result: "FAIL",
        seconds: (Date.now() - started) / 1000,
        note: message ?? "",
      });
      throw error;
    }
  }

  table(): string {
    const rows = this.steps.map((s) => [s.step, s.result, s.seconds.toFixed(1), s.note]);
    const total = this.steps.reduce((t, s) => t + s.seconds, 0);
    rows.push(["total", this.failed ? "FAIL" : "pass", total.toFixed(1), ""]);
    const head = ["step", "result", "seconds", "notes"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    widths[3] = Math.min(widths[3] ?? 0, 110);
    const line = (cells: string[]) =>
      `| ${cells.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.slice(0, widths[i]).padEnd(widths[i] ?? 0))).join(" | ")} |`;
    const sep = `|${widths.map((w, i) => (i === 2 ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
    return [line(head), sep, ...rows.map(line)].join("\n");
  }
}
