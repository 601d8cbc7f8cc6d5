/**
 * @internal Node built-in modules loaded at run time by name, so that browser bundlers (Vite, Rollup)
 * neither resolve nor warn about them: only the Node-only functions (file loaders) call these.
 */
function importByName<T>(name: string): Promise<T> {
  return import(/* @vite-ignore */ name) as Promise<T>;
}

/** @internal */
export const nodeFsPromises = () => importByName<typeof import('node:fs/promises')>('node:fs/promises');
/** @internal */
export const nodeFs = () => importByName<typeof import('node:fs')>('node:fs');
/** @internal */
export const nodePath = () => importByName<typeof import('node:path')>('node:path');
/** @internal */
export const nodeModule = () => importByName<typeof import('node:module')>('node:module');
/** @internal */
export const nodeZlib = () => importByName<typeof import('node:zlib')>('node:zlib');
