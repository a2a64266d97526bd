/**
 * Small combinators that declare the shape of a message once and give both its TypeScript type
 * (`Infer<typeof X>`) and its runtime check (`X(value)`). Every message that crosses between the
 * extension host and a webview is declared with these (src/core/protocol/<page>.ts), so the type the
 * compiler checks and the guard each side runs on what it receives cannot drift apart.
 *
 * A guard never throws and never recurses without bound: it answers `false` for anything that is not
 * exactly the declared shape (wrong types, missing required keys, out-of-range numbers).
 */

/** A runtime check that also narrows the type. */
export type Guard<T> = (value: unknown) => value is T;

/** The type a guard checks for. */
export type Infer<G> = G extends Guard<infer T> ? T : never;

/** A guard for a key that may be absent (or `undefined`), made by {@link optional}. */
export interface OptionalGuard<T> extends Guard<T | undefined> {
  readonly optional: true;
}

type Shape = Readonly<Record<string, Guard<unknown>>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalGuard<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** The record type a shape describes: optional guards give optional keys, every key read-only. */
export type ObjectOf<S extends Shape> = Flatten<
  { readonly [K in RequiredKeys<S>]: Infer<S[K]> } & { readonly [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

/** A plain object (not an array, not `null`). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const string: Guard<string> = (value): value is string => typeof value === 'string';
export const boolean: Guard<boolean> = (value): value is boolean => typeof value === 'boolean';
/** Any number, NaN and the infinities included (structured cloning keeps them). */
export const number: Guard<number> = (value): value is number => typeof value === 'number';
export const finite: Guard<number> = (value): value is number => typeof value === 'number' && Number.isFinite(value);
/** A size or an index: a whole number from 0. */
export const count: Guard<number> = (value): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
/** A finite number from 0. */
export const measure: Guard<number> = (value): value is number => finite(value) && value >= 0;
/** A share: a finite number from 0 to 1. */
export const share: Guard<number> = (value): value is number => finite(value) && value >= 0 && value <= 1;

/** A whole number from `min` to `max`. */
export function whole(min: number, max: number): Guard<number> {
  return (value): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** One of the given strings. */
export function oneOf<const T extends string>(values: readonly T[]): Guard<T> {
  return (value): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);
}


/** A key that may be absent. */
export function optional<T>(guard: Guard<T>): OptionalGuard<T> {
  const check = (value: unknown): value is T | undefined => value === undefined || guard(value);
  return Object.assign(check, { optional: true as const });
}

/** An array whose every element passes `guard`, of at most `max` elements when given. */
export function array<T>(guard: Guard<T>, max = Number.POSITIVE_INFINITY): Guard<readonly T[]> {
  return (value): value is readonly T[] => Array.isArray(value) && value.length <= max && value.every((item) => guard(item));
}

/** An array of exactly these elements, in order. */
export function tuple<const G extends readonly Guard<unknown>[]>(...guards: G): Guard<{ readonly [I in keyof G]: Infer<G[I]> }> {
  return (value): value is { readonly [I in keyof G]: Infer<G[I]> } => Array.isArray(value) && value.length === guards.length && guards.every((guard, i) => guard(value[i]));
}

/** A pair of counts, `[h, w]` or `[row, col]`. */
export const pair = tuple(count, count);

/** A record with these keys; other keys are allowed and ignored (they are never read). */
export function object<const S extends Shape>(shape: S): Guard<ObjectOf<S>> {
  const entries = Object.entries(shape);
  return (value): value is ObjectOf<S> => isRecord(value) && entries.every(([key, guard]) => guard(value[key]));
}

/** A value that passes `guard` and the further condition `holds` (which may assume the guarded type). */
export function refine<T>(guard: Guard<T>, holds: (value: T) => boolean): Guard<T> {
  return (value): value is T => guard(value) && holds(value);
}

/** The union of tagged records, told apart by `tag`: each variant is checked only against its own shape. */
export function tagged<const K extends string, const V extends Readonly<Record<string, Shape>>>(
  tag: K,
  variants: V,
): Guard<{ [T in keyof V & string]: Flatten<{ readonly [P in K]: T } & ObjectOf<V[T]>> }[keyof V & string]> {
  const checks = new Map(Object.entries(variants).map(([name, shape]) => [name, object(shape)] as const));
  return (value): value is { [T in keyof V & string]: Flatten<{ readonly [P in K]: T } & ObjectOf<V[T]>> }[keyof V & string] => {
    if (!isRecord(value)) return false;
    const variant = value[tag];
    const check = typeof variant === 'string' ? checks.get(variant) : undefined;
    return check !== undefined && check(value);
  };
}

/** Values that pass any of the guards. */
export function union<const G extends readonly Guard<unknown>[]>(...guards: G): Guard<Infer<G[number]>> {
  return (value): value is Infer<G[number]> => guards.some((guard) => guard(value));
}

/** A Float64Array (structured cloning keeps its type across `postMessage`). */
export const float64Array: Guard<Float64Array> = (value): value is Float64Array => value instanceof Float64Array;

/** Bytes, at least one and at most `maxBytes`. */
export function bytes(maxBytes: number): Guard<Uint8Array> {
  return (value): value is Uint8Array => value instanceof Uint8Array && value.length > 0 && value.length <= maxBytes;
}
