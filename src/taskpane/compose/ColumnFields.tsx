/** Granularity (Day / Month / None) and the dimensions, grouped as Infobip's docs group them. */
import * as React from "react";
import { Field, Radio, RadioGroup, Text, makeStyles, tokens } from "@fluentui/react-components";
import {
  DIMENSION_GROUPS,
  columnLabel,
  dimensionsInGroup,
  autoAddedDimensions,
  type AggregateDimension,
  type Granularity,
} from "../../billing";
import { CheckboxGroup } from "../components/CheckboxGroup";
import { aggregateByOf, predictedHeaders, toggleDimension } from "../composer-state";
import { fieldId, validationProps, type SectionProps } from "./fields";

const useStyles = makeStyles({
  groups: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  groupTitle: {
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    fontSize: tokens.fontSizeBase200,
    textTransform: "uppercase",
    letterSpacing: "0.04em",
  },
  columns: { color: tokens.colorNeutralForeground2 },
  auto: { fontStyle: "italic" },
});

const GRANULARITY_LABELS: Record<Granularity, string> = { DAY: "Day", MONTH: "Month", NONE: "None" };

export function ColumnFields({ state, update, errors, disabled }: SectionProps): React.JSX.Element {
  const styles = useStyles();
  const aggregateBy = aggregateByOf(state);
  const autoAdded = autoAddedDimensions(aggregateBy);
  const headers = predictedHeaders(state);
  const groups = DIMENSION_GROUPS.filter((group) => group !== "Time");
  const dimensionErrors = validationProps(errors, "dimensions");
  return (
    <>
      <Field
        label="Granularity"
        hint="One row per day, per month, or for the whole period."
        {...validationProps(errors, "granularity")}
      >
        <RadioGroup
          id={fieldId("granularity")}
          layout="horizontal"
          value={state.granularity}
          disabled={disabled}
          onChange={(_, data) => update((s) => ({ ...s, granularity: data.value as Granularity }))}
        >
          {(["DAY", "MONTH", "NONE"] as const).map((g) => (
            <Radio key={g} value={g} label={GRANULARITY_LABELS[g]} />
          ))}
        </RadioGroup>
      </Field>
      <div className={styles.groups}>
        {groups.map((group, index) => (
          <Field key={group} label={group} {...(index === 0 ? dimensionErrors : { validationState: "none" as const })}>
            <CheckboxGroup<AggregateDimension>
              firstId={index === 0 ? fieldId("dimensions") : undefined}
              columns={2}
              disabled={disabled}
              options={dimensionsInGroup(group).map((d) => ({
                value: d.code,
                label: d.label,
                description: d.description,
              }))}
              selected={state.dimensions}
              onToggle={(code, checked) => update((s) => toggleDimension(s, code, checked))}
            />
          </Field>
        ))}
      </div>
      {autoAdded.length > 0 ? (
        <Text size={200} className={styles.auto}>
          Added automatically by Infobip: {autoAdded.map(columnLabel).join(" and ")} (choose an account or category
          column above to pick which one).
        </Text>
      ) : null}
      <Text size={200} className={styles.columns}>
        Your table&rsquo;s columns: {headers.map((h) => h.label).join(", ")}.
      </Text>
    </>
  );
}
