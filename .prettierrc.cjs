// Prettier: the Office add-in settings (office-addin-prettier-config: trailing commas "es5") with a 120-column line,
// the width the codebase is written to; the Office default of 100 would rewrap most files.
module.exports = {
  ...require("office-addin-prettier-config"),
  printWidth: 120,
};
