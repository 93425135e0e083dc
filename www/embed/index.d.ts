// The sfnsim package's types: the engine's (generated from the Rust types by tsify and
// wasm-bindgen, in sfnsim_wasm.d.ts) plus what the JavaScript entry points add.
export * from './sfnsim_wasm.js';
import type { Definition, WorldSpec } from './sfnsim_wasm.js';

// wasm-bindgen's classes have a `[Symbol.dispose]()` (the `using` declaration frees them); this
// keeps the definitions valid for projects whose `lib` predates esnext.disposable.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/** Resolves once the engine (wasm) is loaded: in a browser from beside the module, in node from the package. */
export declare const ready: Promise<void>;

/** The options of an embed, as the `data-` attributes of a `<pre class="sfnsim">` give them. */
export interface MountOptions {
  definition: Definition;
  /** The execution input, as JSON text or a value (`{}` when absent). */
  input?: string | unknown;
  /** `run` (diagram, Run / Step / Reset and the result), `diagram` (the picture only), `autoplay` (runs and loops). */
  mode?: 'run' | 'diagram' | 'autoplay';
  /** The diagram's largest height: px, or a CSS length. */
  height?: number | string;
  theme?: 'light' | 'dark' | 'auto';
  seed?: number | string;
  /** The simulated world (activities, workers, responders, mock configuration, test case), as an object or JSON text. */
  world?: WorldSpec | string | null;
  /** Playback speed: 2 steps twice as fast. */
  speed?: number | string;
  /** The playground's address for "Open in playground" (absent: no link, unless hosted in an `embed/` folder). */
  playground?: string;
  /** Which way the flow runs: `TB` (top to bottom, the default) or `LR` (left to right). */
  direction?: 'TB' | 'LR';
  /** Parallel and Map states drawn as one box, by id (`Fulfil`, or `Fan/2/Each` inside a branch): an array, or the ids separated by commas. */
  collapsed?: string[] | string;
  /** A lesson file's URL: the embed shows its task, a text box for the definition, Check and the why of each check. */
  lesson?: string;
}

/** A mounted embed. */
export interface Embed {
  element: Element;
  run(): void;
  step(): void;
  reset(): void;
  destroy(): void;
}

/** Mounts a live diagram on `element` (browser only; after `await ready`). */
export declare function mount(element: Element, options: MountOptions): Embed;
