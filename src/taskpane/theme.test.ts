import { webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { isDark, luminance, themeFor } from "./theme";

describe("theme that follows Office", () => {
  it("is Fluent's web light theme in a plain browser", () => {
    expect(themeFor(undefined)).toBe(webLightTheme);
  });

  it("follows Office's dark flag, and the background's darkness when the flag is missing", () => {
    expect(isDark({ isDarkTheme: true, bodyBackgroundColor: "#ffffff" })).toBe(true);
    expect(isDark({ bodyBackgroundColor: "#262626" })).toBe(true);
    expect(isDark({ bodyBackgroundColor: "#F3F2F1" })).toBe(false);
    expect(luminance("#000000")).toBe(0);
    expect(luminance("#ffffff")).toBeCloseTo(1);
  });

  it("takes the host's background and text colours on a dark or light base", () => {
    const dark = themeFor({ bodyBackgroundColor: "#1F1F1F", bodyForegroundColor: "#FFFFFF", isDarkTheme: true });
    expect(dark.colorNeutralBackground1).toBe("#1f1f1f");
    expect(dark.colorNeutralForeground1).toBe("#ffffff");
    expect(dark.colorBrandBackground).toBe(webDarkTheme.colorBrandBackground);
    const light = themeFor({ bodyBackgroundColor: "not a colour" });
    expect(light.colorNeutralBackground1).toBe(webLightTheme.colorNeutralBackground1);
  });
});
