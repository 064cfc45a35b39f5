/**
 * The filters, in the catalog's order: multi-value text boxes that take pasted lists (one per line, or
 * separated by commas, semicolons or tabs), checkbox groups with display names for closed lists, and
 * known traffic and sender types offered as suggestions.
 */
import * as React from "react";
import { Button, Field, Input, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import {
  CATEGORIES,
  CATEGORY_NAMES,
  DIRECTIONS,
  DIRECTION_NAMES,
  FILTERS,
  SENDER_TYPE_SUGGESTIONS,
  SUBCATEGORIES,
  SUBCATEGORY_INFO,
  TRAFFIC_TYPE_SUGGESTIONS,
  parseListText,
  type FilterInfo,
} from "../../billing";
import { CheckboxGroup, type CheckboxOption } from "../components/CheckboxGroup";
import {
  appendToTextFilter,
  toggleChoice,
  type ChoiceFilterKey,
  type ComposerState,
  type TextFilterKey,
} from "../composer-state";
import { fieldId, validationProps, type SectionProps } from "./fields";

const useStyles = makeStyles({
  list: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  suggest: { display: "flex", alignItems: "flex-end", columnGap: tokens.spacingHorizontalS },
  suggestField: { flexGrow: 1 },
});

const PLACEHOLDERS: Partial<Record<TextFilterKey, string>> = {
  accountKeys: "One account key per line",
  countryCodes: "One code per line, such as DE",
  platforms: "One per line: application:entity",
  senders: "One sender per line",
  campaignIds: "One ID per line",
  templateIds: "One ID per line",
  campaignReferenceIds: "One reference per line",
  trafficTypes: "One per line, such as MARKETING",
  senderTypes: "One per line, such as SHORT_CODE",
};

const SUGGESTIONS: Partial<Record<TextFilterKey, { list: readonly string[]; noun: string }>> = {
  trafficTypes: { list: TRAFFIC_TYPE_SUGGESTIONS, noun: "traffic type" },
  senderTypes: { list: SENDER_TYPE_SUGGESTIONS, noun: "sender type" },
};

function count(text: string): string {
  const n = parseListText(text).length;
  return n === 0 ? "" : ` ${n} value${n === 1 ? "" : "s"}.`;
}

function TextFilter({ filter, state, update, errors, disabled }: SectionProps & { filter: FilterInfo }) {
  const styles = useStyles();
  const key = filter.key as TextFilterKey;
  const suggestions = SUGGESTIONS[key];
  const [pick, setPick] = React.useState("");
  const listId = `${fieldId(key)}-suggestions`;
  const add = () => {
    update((s) => appendToTextFilter(s, key, pick));
    setPick("");
  };
  return (
    <>
      <Field
        label={filter.label}
        hint={`${filter.description}${count(state.textFilters[key])}`}
        {...validationProps(errors, key)}
      >
        <Textarea
          id={fieldId(key)}
          resize="vertical"
          rows={2}
          value={state.textFilters[key]}
          placeholder={PLACEHOLDERS[key]}
          disabled={disabled}
          onChange={(_, data) => update((s) => ({ ...s, textFilters: { ...s.textFilters, [key]: data.value } }))}
        />
      </Field>
      {suggestions ? (
        <div className={styles.suggest}>
          <Field label={`Add a known ${suggestions.noun}`} size="small" className={styles.suggestField}>
            <Input
              size="small"
              list={listId}
              value={pick}
              disabled={disabled}
              onChange={(_, data) => setPick(data.value)}
              onKeyDown={(event) => {
                // Enter adds the suggestion here instead of submitting the whole form.
                if (event.key === "Enter") {
                  event.preventDefault();
                  add();
                }
              }}
            />
          </Field>
          <datalist id={listId}>
            {suggestions.list.map((value) => (
              <option key={value} value={value} />
            ))}
          </datalist>
          <Button size="small" disabled={disabled || pick.trim() === ""} onClick={add}>
            Add {suggestions.noun}
          </Button>
        </div>
      ) : null}
    </>
  );
}

/** The closed lists, offered as checkboxes with their display names. */
const CHOICES: {
  [K in ChoiceFilterKey]: {
    options: readonly CheckboxOption<ComposerState[K][number]>[];
    columns?: 2;
    /** Instead of the catalog's description. */
    hint?: string;
  };
} = {
  categories: { options: CATEGORIES.map((c) => ({ value: c, label: CATEGORY_NAMES[c] })), columns: 2 },
  subCategories: { options: SUBCATEGORIES.map((c) => ({ value: c, label: SUBCATEGORY_INFO[c].name })), columns: 2 },
  directions: {
    options: DIRECTIONS.map((d) => ({ value: d, label: DIRECTION_NAMES[d] })),
    hint: "Leave both empty for both.",
  },
};

function ChoiceFilter<K extends ChoiceFilterKey>({
  filter,
  choiceKey,
  state,
  update,
  errors,
  disabled,
}: SectionProps & { filter: FilterInfo; choiceKey: K }) {
  const choice = CHOICES[choiceKey];
  return (
    <Field label={filter.label} hint={choice.hint ?? filter.description} {...validationProps(errors, choiceKey)}>
      <CheckboxGroup<ComposerState[K][number]>
        firstId={fieldId(choiceKey)}
        columns={choice.columns}
        disabled={disabled}
        options={choice.options}
        selected={state[choiceKey]}
        onToggle={(value, on) => update((s) => toggleChoice(s, choiceKey, value, on))}
      />
    </Field>
  );
}

export function FilterFields(props: SectionProps): React.JSX.Element {
  const styles = useStyles();
  return (
    <div className={styles.list}>
      {FILTERS.map((filter) => {
        switch (filter.key) {
          case "categories":
          case "subCategories":
          case "directions":
            return <ChoiceFilter key={filter.key} filter={filter} choiceKey={filter.key} {...props} />;
          default:
            return <TextFilter key={filter.key} filter={filter} {...props} />;
        }
      })}
    </div>
  );
}
