// The tfjs backends are resolved from @intrinsic/models' dependencies by the aliases of vite.config.ts (the app
// does not list them itself); these declarations give TypeScript the little the page uses of them.
declare module '@tensorflow/tfjs-backend-webgl';
declare module '@tensorflow/tfjs-backend-cpu';
declare module '@tensorflow/tfjs-backend-wasm' {
  /** Prefix (folder URL ending in `/`) from which the backend fetches its .wasm binaries. */
  export function setWasmPaths(prefixOrFileMap: string | Record<string, string>, usePlatformFetch?: boolean): void;
}
