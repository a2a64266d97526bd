/**
 * The part of jsfive (a pure-JavaScript, read-only HDF5 reader; it ships no types) that the Keras
 * reader uses. Attributes come back decoded: strings, numbers, or arrays of them.
 */
declare module 'jsfive' {
  export type AttributeValue = string | number | bigint | readonly (string | number | bigint)[];

  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, AttributeValue>;
    get(path: string): Group | Dataset | null;
  }

  export class Dataset {
    readonly shape: number[];
    /** numpy's dtype string (`<f4`, `>i8`), or a description object for other types. */
    readonly dtype: string | object;
    readonly attrs: Record<string, AttributeValue>;
    /** The values, row-major, read when asked for. */
    readonly value: ArrayLike<number | bigint>;
  }

  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
}
