/**
 * The JSON Schema subset the tools' inputs are declared in, and a check of a value against it that
 * answers in words. One declaration serves three readers: VS Code (package.json's
 * `languageModelTools`, which a unit test keeps equal to it), MCP clients (`tools/list`), and this
 * check, since neither VS Code nor every MCP client validates a model's arguments before calling.
 */

export type JsonSchema =
  | { readonly type: 'string'; readonly description?: string; readonly enum?: readonly string[]; readonly maxLength?: number }
  | { readonly type: 'integer' | 'number'; readonly description?: string; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: 'boolean'; readonly description?: string }
  | { readonly type: 'array'; readonly description?: string; readonly items?: JsonSchema; readonly minItems?: number; readonly maxItems?: number }
  | ObjectSchema;

export interface ObjectSchema {
  readonly type: 'object';
  readonly description?: string;
  readonly properties: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

/** A value for the message: short, and never the whole of a large array. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return value.length > 8 ? `an array of ${value.length} items` : (JSON.stringify(value) ?? 'an array');
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function where(path: string): string {
  return path === '' ? 'The input' : `"${path}"`;
}

/**
 * The first way `value` differs from `schema`, as a sentence naming the place (`"inputShape[2]"
 * must be a whole number, not 2.5.`), or undefined when it conforms. Iterative over arrays and
 * recursive only as deep as the schema (never as deep as the value).
 */
export function schemaProblem(value: unknown, schema: JsonSchema, path = ''): string | undefined {
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return `${where(path)} must be a string, not ${describeValue(value)}.`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return `${where(path)} is ${value.length} characters long; the most is ${schema.maxLength}.`;
      if (schema.enum && !schema.enum.includes(value)) return `${where(path)} must be one of ${schema.enum.map((e) => `"${e}"`).join(', ')}, not ${describeValue(value)}.`;
      return undefined;
    case 'integer':
    case 'number': {
      const whole = schema.type === 'integer';
      if (typeof value !== 'number' || !Number.isFinite(value) || (whole && !Number.isSafeInteger(value))) {
        return `${where(path)} must be ${whole ? 'a whole number' : 'a number'}, not ${describeValue(value)}.`;
      }
      if (schema.minimum !== undefined && value < schema.minimum) return `${where(path)} must be at least ${schema.minimum}, not ${value}.`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${where(path)} must be at most ${schema.maximum}, not ${value}.`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${where(path)} must be true or false, not ${describeValue(value)}.`;
    case 'array': {
      if (!Array.isArray(value)) return `${where(path)} must be an array, not ${describeValue(value)}.`;
      if (schema.minItems !== undefined && value.length < schema.minItems) return `${where(path)} must have at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}, not ${value.length}.`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return `${where(path)} must have at most ${schema.maxItems} items, not ${value.length}.`;
      if (schema.items) {
        for (let i = 0; i < value.length; i++) {
          const problem = schemaProblem(value[i], schema.items, `${path}[${i}]`);
          if (problem) return problem;
        }
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${where(path)} must be an object, not ${describeValue(value)}.`;
      const record = value as Record<string, unknown>;
      const prefix = path === '' ? '' : `${path}.`;
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) return `"${prefix}${key}" is missing${describedAs(schema.properties[key])}.`;
      }
      for (const [key, item] of Object.entries(record)) {
        const property = schema.properties[key];
        if (property === undefined) {
          if (schema.additionalProperties === false) return `${where(path)} has an unknown key "${key}": the keys are ${Object.keys(schema.properties).join(', ')}.`;
          continue;
        }
        if (item === undefined) continue;
        const problem = schemaProblem(item, property, `${prefix}${key}`);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}

function describedAs(schema: JsonSchema | undefined): string {
  const description = schema?.description;
  return description ? ` (${description.replace(/\.$/, '')})` : '';
}
