// A compact, strict validator for the OpenAPI v3 subset Kubernetes CRDs use (structural schemas):
// type, properties, additionalProperties, required, enum, items, min/maxLength, min/maxItems, pattern,
// minimum, x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string. Unknown fields are errors
// (as with `kubectl apply --validate=strict`); `metadata` is checked by the API server, not the CRD.
// CEL rules (x-kubernetes-validations) are not evaluated here: kagent-manifests.test.ts checks the
// ones that apply to our manifests explicitly.

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  pattern?: string;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
}

// The ObjectMeta fields a manifest in this repository may set (the CRD only says `type: object`).
const stringMap: Schema = { type: "object", additionalProperties: { type: "string" } };
const objectMeta: Schema = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 253 },
    namespace: { type: "string" },
    labels: stringMap,
    annotations: stringMap,
  },
};

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

export function validate(value: unknown, schema: Schema, path = ""): string[] {
  const at = path || "<root>";
  const errors: string[] = [];
  if (schema["x-kubernetes-int-or-string"]) {
    const t = typeOf(value);
    return t === "integer" || t === "string" ? [] : [`${at}: must be an integer or a string, got ${t}`];
  }
  if (schema.type) {
    const t = typeOf(value);
    const ok = t === schema.type || (schema.type === "number" && t === "integer");
    if (!ok) return [`${at}: must be ${schema.type}, got ${t}`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, "u").test(value))
      errors.push(`${at}: does not match ${schema.pattern}`);
  }
  if (typeof value === "number" && schema.minimum !== undefined && value < schema.minimum) {
    errors.push(`${at}: below ${schema.minimum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      errors.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items)
      value.forEach((item, i) => errors.push(...validate(item, schema.items as Schema, `${path}[${i}]`)));
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in object)) errors.push(`${path ? `${path}.` : ""}${key}: required`);
    }
    const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true;
    for (const [key, child] of Object.entries(object)) {
      const childPath = path ? `${path}.${key}` : key;
      const known = path === "" && key === "metadata" ? objectMeta : schema.properties?.[key];
      if (known) {
        errors.push(...validate(child, known, childPath));
      } else if (typeof schema.additionalProperties === "object") {
        errors.push(...validate(child, schema.additionalProperties, childPath));
      } else if (schema.additionalProperties !== true && !preserve) {
        errors.push(`${childPath}: unknown field`);
      }
    }
  }
  return errors;
}
