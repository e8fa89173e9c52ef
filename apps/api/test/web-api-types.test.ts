// The web app's generated API types must match the API's document as it is now.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderWebApiTypes, WEB_API_TYPES } from "../scripts/web-api-types.js";

describe("apps/web/lib/api-types.gen.ts", () => {
  it("is what npm run gen:api-types generates from the current OpenAPI document", async () => {
    const committed = readFileSync(WEB_API_TYPES, "utf8");
    const generated = await renderWebApiTypes();
    expect(generated === committed, "stale: run `npm run gen:api-types` and commit the result").toBe(true);
  });
});
