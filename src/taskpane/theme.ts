/**
 * A Fluent theme that follows Office: in Excel, light or dark from `Office.context.officeTheme`, with the
 * pane's background and text in the host's own colours so the pane blends into the ribbon and grid; in a
 * plain browser, Fluent's web light theme.
 */
import { webDarkTheme, webLightTheme, type Theme } from "@fluentui/react-components";

/** The part of `Office.OfficeTheme` used here. */
export interface HostTheme {
  bodyBackgroundColor?: string;
  bodyForegroundColor?: string;
  controlBackgroundColor?: string;
  controlForegroundColor?: string;
  isDarkTheme?: boolean;
}

const HEX = /^#?([0-9a-f]{6})$/i;

function hex(color: string | undefined): string | undefined {
  const match = color ? HEX.exec(color.trim()) : null;
  return match ? `#${match[1]!.toLowerCase()}` : undefined;
}

/** Relative luminance (WCAG) of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function luminance(color: string): number {
  const value = Number.parseInt(color.slice(1), 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** Dark when Office says so, else when the host's background is dark. */
export function isDark(host: HostTheme): boolean {
  if (typeof host.isDarkTheme === "boolean") return host.isDarkTheme;
  const background = hex(host.bodyBackgroundColor);
  return background !== undefined && luminance(background) < 0.2;
}

/** The Fluent theme for a host theme (undefined: a plain browser). */
export function themeFor(host: HostTheme | undefined): Theme {
  if (!host) return webLightTheme;
  const base = isDark(host) ? webDarkTheme : webLightTheme;
  const background = hex(host.bodyBackgroundColor);
  const foreground = hex(host.bodyForegroundColor);
  // Only the surfaces take the host's colours; Fluent's ramps keep contrast for controls and states.
  return {
    ...base,
    ...(background ? { colorNeutralBackground1: background } : {}),
    ...(foreground ? { colorNeutralForeground1: foreground } : {}),
  };
}

/** The host's theme when running in Office, read defensively (older hosts lack parts of it). */
export function readOfficeTheme(): HostTheme | undefined {
  try {
    if (typeof Office === "undefined" || !Office.context?.officeTheme) return undefined;
    const theme = Office.context.officeTheme;
    return {
      bodyBackgroundColor: theme.bodyBackgroundColor,
      bodyForegroundColor: theme.bodyForegroundColor,
      controlBackgroundColor: theme.controlBackgroundColor,
      controlForegroundColor: theme.controlForegroundColor,
      ...(typeof theme.isDarkTheme === "boolean" ? { isDarkTheme: theme.isDarkTheme } : {}),
    };
  } catch {
    return undefined;
  }
}
