// make lint: ESLint's recommended rules on the reader's scripts in theme/ (browser code, no build step).
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["theme/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: globals.browser },
    // A catch that only says why it carries on (private mode, no index yet) keeps its binding.
    rules: { "no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
  { files: ["theme/search.js"], languageOptions: { sourceType: "module" } },
];
