/**
 * A group of checkboxes inside a Fluent `Field`: the Field's label names the group (role="group",
 * aria-labelledby) and its validation message describes it, as a single input would be. The checkboxes
 * themselves are shielded from the Field (each keeps its own label), and an option's description is a
 * tooltip that also shows on keyboard focus and is announced as the checkbox's description.
 */
import * as React from "react";
import {
  Checkbox,
  FieldContextProvider,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
  useFieldControlProps_unstable,
  type FieldControlProps,
} from "@fluentui/react-components";

export interface CheckboxOption<V extends string> {
  value: V;
  label: string;
  description?: string;
}

export interface CheckboxGroupProps<V extends string> {
  options: readonly CheckboxOption<V>[];
  selected: readonly V[];
  onToggle: (value: V, checked: boolean) => void;
  /** id for the first checkbox, so a form can focus the group when it has a problem. */
  firstId?: string;
  columns?: 1 | 2;
  disabled?: boolean;
}

const useStyles = makeStyles({
  group: { display: "grid", gridTemplateColumns: "1fr", columnGap: tokens.spacingHorizontalS },
  twoColumns: { gridTemplateColumns: "repeat(auto-fill, minmax(140px, 1fr))" },
});

export function CheckboxGroup<V extends string>(props: CheckboxGroupProps<V>): React.JSX.Element {
  const styles = useStyles();
  const noProps: FieldControlProps = {};
  const fieldProps = useFieldControlProps_unstable(noProps, { supportsLabelFor: false });
  return (
    <div
      role="group"
      aria-labelledby={fieldProps["aria-labelledby"]}
      aria-describedby={fieldProps["aria-describedby"]}
      aria-invalid={fieldProps["aria-invalid"]}
      className={mergeClasses(styles.group, props.columns === 2 && styles.twoColumns)}
    >
      {/* The Field labels the group; without this, every checkbox would take the Field's label and id. */}
      <FieldContextProvider value={undefined}>
        {props.options.map((option, index) => {
          const checkbox = (
            <Checkbox
              key={option.value}
              // An explicit `id={undefined}` would wipe the id Fluent generates, and the label's link with it.
              {...(index === 0 && props.firstId ? { id: props.firstId } : {})}
              label={option.label}
              checked={props.selected.includes(option.value)}
              disabled={props.disabled}
              onChange={(_, data) => props.onToggle(option.value, data.checked === true)}
            />
          );
          return option.description ? (
            <Tooltip
              key={option.value}
              content={option.description}
              relationship="description"
              positioning="above-start"
            >
              {checkbox}
            </Tooltip>
          ) : (
            checkbox
          );
        })}
      </FieldContextProvider>
    </div>
  );
}
