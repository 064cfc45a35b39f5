/** Period: presets or custom dates, with the retention window and the provisional months said beside it. */
import * as React from "react";
import { Field, Input, Select, Text, makeStyles, tokens } from "@fluentui/react-components";
import { PERIOD_PRESETS, PERIOD_PRESET_LABELS, type PeriodPreset } from "../../billing";
import { longDate, periodInfo } from "../composer-state";
import { fieldId, validationProps, type SectionProps } from "./fields";
import { addDays } from "../../billing";

const useStyles = makeStyles({
  dates: {
    display: "grid",
    gridTemplateColumns: "repeat(auto-fit, minmax(140px, 1fr))",
    columnGap: tokens.spacingHorizontalM,
  },
  notes: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalXXS,
    color: tokens.colorNeutralForeground2,
  },
  provisional: { color: tokens.colorPaletteMarigoldForeground2 },
});

export function PeriodFields({
  state,
  update,
  errors,
  disabled,
  now,
}: SectionProps & { now: Date }): React.JSX.Element {
  const styles = useStyles();
  const info = periodInfo(state, now);
  const custom = state.preset === "custom";
  const lastAllowed = addDays(info.retention.sentUntil, -1);
  return (
    <>
      <Field label="Period" {...validationProps(errors, "period")}>
        <Select
          id={fieldId("period")}
          value={state.preset}
          disabled={disabled}
          onChange={(_, data) => {
            const preset = data.value as PeriodPreset;
            update((s) => {
              // Switching to custom dates starts from the preset's dates, so the user edits rather than types.
              if (preset === "custom" && s.preset !== "custom" && !s.customSince && info.interval) {
                return { ...s, preset, customSince: info.interval.sentSince, customUntil: info.interval.sentUntil };
              }
              return { ...s, preset };
            });
          }}
        >
          {PERIOD_PRESETS.map((preset) => (
            <option key={preset} value={preset}>
              {PERIOD_PRESET_LABELS[preset]}
            </option>
          ))}
        </Select>
      </Field>
      {custom ? (
        <div className={styles.dates}>
          <Field label="From (inclusive)" hint="The first day included (UTC)." {...validationProps(errors, "from")}>
            <Input
              id={fieldId("from")}
              type="date"
              value={state.customSince}
              min={info.retention.sentSince}
              max={lastAllowed}
              disabled={disabled}
              onChange={(_, data) => update((s) => ({ ...s, customSince: data.value }))}
            />
          </Field>
          <Field label="To (exclusive)" hint="The day after the last day (UTC)." {...validationProps(errors, "to")}>
            <Input
              id={fieldId("to")}
              type="date"
              value={state.customUntil}
              min={info.retention.sentSince}
              max={info.retention.sentUntil}
              disabled={disabled}
              onChange={(_, data) => update((s) => ({ ...s, customUntil: data.value }))}
            />
          </Field>
        </div>
      ) : null}
      <div className={styles.notes} id="period-notes">
        {info.interval && info.lastDay && info.interval.sentUntil > info.interval.sentSince ? (
          <Text size={200}>
            {longDate(info.interval.sentSince)} to {longDate(info.lastDay)} (UTC), both included.
          </Text>
        ) : null}
        {info.alignedInterval ? (
          <Text size={200}>
            By month, Infobip widens this to whole months: {longDate(info.alignedInterval.sentSince)} to{" "}
            {longDate(addDays(info.alignedInterval.sentUntil, -1))}.
          </Text>
        ) : null}
        <Text size={200}>
          Billing data can be queried from {longDate(info.retention.sentSince)} to {longDate(lastAllowed)}: this month
          and the two before it.
        </Text>
        {info.provisionalNotes.map((note) => (
          <Text key={note} size={200} className={styles.provisional}>
            {note}
          </Text>
        ))}
        {info.excludedNote ? <Text size={200}>{info.excludedNote}</Text> : null}
      </div>
    </>
  );
}
