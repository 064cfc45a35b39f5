/**
 * Which of the relay's Infobip connections (accounts or data centres) a query runs on: shown only when the relay
 * has several. One query per connection, written as ONE table whose first column names the connection.
 */
import * as React from "react";
import { Field } from "@fluentui/react-components";
import { CheckboxGroup } from "../components/CheckboxGroup";
import { fieldId, validationProps, type SectionProps } from "./fields";

export function ConnectionFields({
  state,
  update,
  errors,
  disabled,
  names,
  defaultName,
}: SectionProps & { names: readonly string[]; defaultName: string }): React.JSX.Element | null {
  if (names.length === 0 || !state.connections) return null;
  const chosen = state.connections;
  return (
    <Field
      label="Connections"
      hint="Each runs with its own API key (Settings). One table holds them all, with a Connection column; Infobip never adds up data centres itself."
      {...validationProps(errors, "connections")}
    >
      <CheckboxGroup
        firstId={fieldId("connections")}
        columns={2}
        {...(disabled ? { disabled } : {})}
        options={names.map((name) => ({
          value: name,
          label: name === defaultName ? `${name} (default)` : name,
        }))}
        selected={chosen}
        onToggle={(name, checked) =>
          update((s) => {
            const current = new Set(s.connections ?? []);
            if (checked) current.add(name);
            else current.delete(name);
            return { ...s, connections: names.filter((n) => current.has(n)) };
          })
        }
      />
    </Field>
  );
}
