// ESLint 9 flat config. `npm run lint` is the template's `office-addin-lint check`, which runs ESLint with this file
// (it prefers ./eslint.config.mjs over its own) on the files named by package.json `config.lint_files`.
//
// - eslint-plugin-office-addins' recommended preset: ESLint's recommended rules, the Office.js rules
//   (load before read, sync after load, no sync in loops...) and Prettier as a lint rule.
// - typescript-eslint's recommended rules. Pinned to the version the Office plugin depends on (~8.8), so both register
//   the same "@typescript-eslint" plugin; that version predates TypeScript 5.9, hence the silenced version warning
//   (rules here are syntactic, no type information is used).
// - Prettier: office-addin-prettier-config with printWidth 120 (see .prettierrc.cjs).
import officeAddins from "eslint-plugin-office-addins";
import globals from "globals";
import tseslint from "typescript-eslint";

// The preset's Office.js block matches js/ts but not .tsx: the React pane gets the same rules through a copy of it.
const officeRules = officeAddins.configs.recommended.find((config) => config.plugins?.["office-addins"]);

export default tseslint.config(
  {
    ignores: ["dist/", "build/", "coverage/", "node_modules/", "test-results/", "bench/out/", ".relay-data/"],
  },
  ...officeAddins.configs.recommended,
  ...tseslint.configs.recommended,
  { ...officeRules, files: ["**/*.tsx"] },
  {
    languageOptions: {
      ecmaVersion: 2022,
      parserOptions: { warnOnUnsupportedTypeScriptVersion: false },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      // typescript-eslint 8.8 reads these options without defaults, which ESLint 9.15+ no longer fills in.
      "@typescript-eslint/no-unused-expressions": [
        "error",
        { allowShortCircuit: false, allowTernary: false, allowTaggedTemplates: false, enforceForJSX: false },
      ],
    },
  },
  {
    // Node-side JavaScript: webpack, jest and this file.
    files: ["**/*.{js,cjs,mjs}"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["**/*.{js,cjs}"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  }
);
