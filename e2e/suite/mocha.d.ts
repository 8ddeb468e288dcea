// Mocha 12's main entry is ESM; the extension host loads tests with require(), so the suite
// requires its CommonJS build directly (kept external by e2e/build.mjs).
declare module 'mocha/lib/mocha.cjs' {
  import Mocha from 'mocha';
  export default Mocha;
}
