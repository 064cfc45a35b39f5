/** Options and where the result goes: include provisional data, destination, table label. */
import * as React from "react";
import { Checkbox, Field, Input, Radio, RadioGroup, Select } from "@fluentui/react-components";
import { MAX_LABEL_LENGTH } from "../composer-state";
import { fieldId, validationProps, type SectionProps } from "./fields";
import type { BillingTableInfo } from "../workbook";

export function OutputFields({
  state,
  update,
  errors,
  disabled,
  tables,
  inExcel,
}: SectionProps & { tables: readonly BillingTableInfo[]; inExcel: boolean }): React.JSX.Element {
  const replacing = state.destination.kind === "replace";
  const canReplace = inExcel && tables.length > 0;
  return (
    <>
      <Field
        hint="Provisional figures for months not yet invoiced (final on the 5th of the next month). Untick for final data only."
        {...validationProps(errors, "includeUnfinalizedData")}
      >
        <Checkbox
          id={fieldId("includeUnfinalizedData")}
          label="Include provisional data"
          checked={state.includeUnfinalizedData}
          disabled={disabled}
          onChange={(_, data) => update((s) => ({ ...s, includeUnfinalizedData: data.checked === true }))}
        />
      </Field>
      <Field
        label="Destination"
        hint={
          inExcel
            ? canReplace
              ? undefined
              : "No billing table in this workbook yet: the result goes to a new sheet."
            : "In the browser preview the result is shown below the query; in Excel it becomes a table."
        }
        {...validationProps(errors, "destination")}
      >
        <RadioGroup
          id={fieldId("destination")}
          value={state.destination.kind}
          disabled={disabled}
          onChange={(_, data) =>
            update((s) => ({
              ...s,
              destination:
                data.value === "replace"
                  ? { kind: "replace", tableName: tables[0]?.tableName ?? "" }
                  : { kind: "new-sheet" },
            }))
          }
        >
          <Radio value="new-sheet" label="New sheet" />
          <Radio value="replace" label="Replace existing table" disabled={!canReplace} />
        </RadioGroup>
      </Field>
      {replacing && canReplace ? (
        <Field
          label="Table to replace"
          hint="Its rows are replaced in place: formulas, charts and PivotTables on it keep working."
        >
          <Select
            value={state.destination.kind === "replace" ? state.destination.tableName : ""}
            disabled={disabled}
            onChange={(_, data) => update((s) => ({ ...s, destination: { kind: "replace", tableName: data.value } }))}
          >
            {tables.map((t) => (
              <option key={t.tableName} value={t.tableName}>
                {t.label ? `${t.label} (${t.tableName})` : t.tableName}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <Field
        label="Table label"
        hint="Optional: names the sheet and the table, such as “March SMS costs”."
        {...validationProps(errors, "label")}
      >
        <Input
          id={fieldId("label")}
          value={state.label}
          maxLength={MAX_LABEL_LENGTH + 20}
          disabled={disabled}
          onChange={(_, data) => update((s) => ({ ...s, label: data.value }))}
        />
      </Field>
    </>
  );
}
