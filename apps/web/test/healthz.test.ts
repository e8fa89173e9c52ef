import { describe, expect, it } from "vitest";
import * as healthz from "@/app/healthz/route";

describe("/healthz", () => {
  it("answers 200 without calling the backend, uncached", async () => {
    delete process.env.API_URL;
    const response = healthz.GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
    expect(healthz.dynamic).toBe("force-dynamic");
  });
});
