// The WebAssembly JS API is declared only in TypeScript's DOM lib (not in
// @types/node 20); admission needs just these two members of it.
declare namespace WebAssembly {
  function validate(bytes: Uint8Array): boolean;
  class Module {
    constructor(bytes: Uint8Array);
  }
}
