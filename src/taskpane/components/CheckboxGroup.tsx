/**
 * A group of checkboxes inside a Fluent `Field`: the Field's label names the group (role="group",
 * aria-labelledby) and its validation message describes it, as a single input would be.
 */
import * as React from "react";
import {
  Checkbox,
  makeStyles,
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
  group: { display: "grid", gridTemplateColumns: "1fr", rowGap: "0" },
  twoColumns: { gridTemplateColumns: "repeat(auto-fill, minmax(140px, 1fr))" },
  option: { display: "flex", flexDirection: "column" },
  description: {
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    marginLeft: "32px",
    marginTop: "-6px",
    marginBottom: "4px",
  },
});

export function CheckboxGroup<V extends string>(props: CheckboxGroupProps<V>): React.JSX.Element {
  const styles = useStyles();
  const noProps: FieldControlProps = {};
  const fieldProps = useFieldControlProps_unstable(noProps, { supportsLabelFor: false });
  const baseId = React.useId();
  return (
    <div
      role="group"
      aria-labelledby={fieldProps["aria-labelledby"]}
      aria-describedby={fieldProps["aria-describedby"]}
      aria-invalid={fieldProps["aria-invalid"]}
      className={`${styles.group} ${props.columns === 2 ? styles.twoColumns : ""}`}
    >
      {props.options.map((option, index) => {
        const descriptionId = option.description ? `${baseId}-${index}-description` : undefined;
        return (
          <div key={option.value} className={styles.option}>
            <Checkbox
              id={index === 0 ? props.firstId : undefined}
              label={option.label}
              checked={props.selected.includes(option.value)}
              disabled={props.disabled}
              aria-describedby={descriptionId}
              onChange={(_, data) => props.onToggle(option.value, data.checked === true)}
            />
            {option.description ? (
              <span id={descriptionId} className={styles.description}>
                {option.description}
              </span>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
