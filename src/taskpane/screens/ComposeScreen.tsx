/**
 * The composer: a billing question as a form, checked with the rules of `src/billing` before anything is
 * sent. Submitting (the "Run query" button, or Enter in a field) goes through one handler that prevents
 * the browser's default.
 */
import * as React from "react";
import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { FILTERS } from "../../billing";
import { ColumnFields } from "../compose/ColumnFields";
import { ConnectionFields } from "../compose/ConnectionFields";
import { FilterFields } from "../compose/FilterFields";
import { OutputFields } from "../compose/OutputFields";
import { PeriodFields } from "../compose/PeriodFields";
import { fieldId, type SectionProps } from "../compose/fields";
import { TEXT_FILTER_KEYS, firstErrorField, type ComposerState, type FieldErrors } from "../composer-state";
import type { ConnectionsView } from "../hooks/useRelaySettings";
import type { BillingTableInfo } from "../workbook";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL },
  section: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    border: "none",
    margin: 0,
    padding: 0,
    minWidth: 0,
  },
  legend: {
    fontSize: tokens.fontSizeBase400,
    fontWeight: tokens.fontWeightSemibold,
    lineHeight: tokens.lineHeightBase400,
    padding: 0,
    marginBottom: tokens.spacingVerticalXS,
  },
  footer: {
    position: "sticky",
    bottom: 0,
    display: "flex",
    alignItems: "center",
    columnGap: tokens.spacingHorizontalM,
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  formError: { color: tokens.colorPaletteRedForeground1 },
  panel: { paddingTop: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalS },
});

export interface ComposeScreenProps {
  state: ComposerState;
  update: (change: (state: ComposerState) => ComposerState) => void;
  errors: FieldErrors;
  now: Date;
  running: boolean;
  inExcel: boolean;
  tables: readonly BillingTableInfo[];
  onSubmit: () => void;
  /** Bumped after a failed submit, so the first field with a problem gets the focus. */
  focusRequest: number;
  /** The relay's connections, when it has several. */
  connections?: ConnectionsView;
}

function activeFilterCount(state: ComposerState): number {
  const text = TEXT_FILTER_KEYS.filter((key) => state.textFilters[key].trim() !== "").length;
  return text + [state.categories, state.subCategories, state.directions].filter((list) => list.length > 0).length;
}

export function ComposeScreen(props: ComposeScreenProps): React.JSX.Element {
  const styles = useStyles();
  const { state, update, errors, running } = props;
  const filterKeys = new Set<string>(FILTERS.map((f) => f.key));
  const filtersHaveErrors = Object.keys(errors).some((field) => filterKeys.has(field));
  const [filtersOpen, setFiltersOpen] = React.useState(activeFilterCount(state) > 0);
  const open = filtersOpen || filtersHaveErrors;

  React.useEffect(() => {
    if (props.focusRequest === 0) return;
    const field = firstErrorField(errors);
    if (!field || field === "form") return;
    // After the accordion has opened, focus the control of the first field with a problem.
    requestAnimationFrame(() => document.getElementById(fieldId(field))?.focus());
    // Only a new submit moves the focus (not typing), hence the one dependency.
  }, [props.focusRequest]);

  const section: SectionProps = { state, update, errors, disabled: running };
  const filterCount = activeFilterCount(state);
  return (
    <form
      className={styles.form}
      noValidate
      aria-label="Billing query"
      onSubmit={(event) => {
        event.preventDefault();
        if (!running) props.onSubmit();
      }}
    >
      <fieldset className={styles.section}>
        <legend className={styles.legend}>Dates</legend>
        <PeriodFields {...section} now={props.now} />
      </fieldset>

      <fieldset className={styles.section}>
        <legend className={styles.legend}>Columns</legend>
        <ColumnFields {...section} />
      </fieldset>

      <Accordion
        collapsible
        openItems={open ? ["filters"] : []}
        onToggle={(_, data) => setFiltersOpen(data.openItems.includes("filters"))}
      >
        <AccordionItem value="filters">
          <AccordionHeader size="large">
            Filters {filterCount > 0 ? `(${filterCount} in use)` : "(optional)"}
          </AccordionHeader>
          <AccordionPanel className={styles.panel}>
            <FilterFields {...section} />
          </AccordionPanel>
        </AccordionItem>
      </Accordion>

      {props.connections && props.connections.names.length > 0 ? (
        <fieldset className={styles.section}>
          <legend className={styles.legend}>Infobip accounts</legend>
          <ConnectionFields {...section} names={props.connections.names} defaultName={props.connections.defaultName} />
        </fieldset>
      ) : null}

      <fieldset className={styles.section}>
        <legend className={styles.legend}>Result</legend>
        <OutputFields {...section} tables={props.tables} inExcel={props.inExcel} />
      </fieldset>

      {errors.form?.length ? (
        <Text className={styles.formError} role="note">
          {errors.form.join(" ")}
        </Text>
      ) : null}

      <div className={styles.footer}>
        <Button type="submit" appearance="primary" disabled={running}>
          Run query
        </Button>
        {running ? <Text size={200}>A query is running: see its progress above.</Text> : null}
      </div>
    </form>
  );
}
