/** The part of pngjs's API we use (the package ships no types). */
declare module 'pngjs' {
  export const PNG: {
    sync: {
      read(buffer: Uint8Array, options?: { skipRescale?: boolean }): { width: number; height: number; data: Uint8Array };
      write(png: { width: number; height: number; data: Uint8Array }, options?: { colorType?: number; inputColorType?: number }): Uint8Array;
    };
    new (options: { width: number; height: number }): { width: number; height: number; data: Uint8Array };
  };
}
