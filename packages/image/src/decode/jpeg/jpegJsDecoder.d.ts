// jpeg-js's decoder on its own: the package's main module also loads its
// encoder, which a page that only decodes does not need.
declare module 'jpeg-js/lib/decoder.js' {
  import type { decode } from 'jpeg-js';
  const decodeJpeg: typeof decode;
  export = decodeJpeg;
}
