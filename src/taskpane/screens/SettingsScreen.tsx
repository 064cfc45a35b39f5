/**
 * Settings: where the relay is and the Infobip API key — one key per Infobip connection when the relay has several
 * (each account or data centre has its own keys; the relay's `GET /v1/connections` decides the list, a relay with
 * one connection shows the one key as always). A key is kept on this computer only while its "Remember on this
 * computer" is ticked (unticking forgets it at once); each "Test connection" says what is wrong in plain words:
 * relay unreachable, wrong key, missing scope. Below the form, "Check this Excel" proves the add-in works in the
 * user's Excel (CheckExcel.tsx).
 */
import * as React from "react";
import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { MissingKeyError, currentApiKey, forgetStoredKey, isRemembered, maskKey } from "../credentials";
import { errorWords } from "../error-words";
import type { ConnectionsView, KeyEntry } from "../hooks/useRelaySettings";
import { RelayClient, RelayError, type ConnectionCheck } from "../relay-client";
import type { SelfTestReport } from "../../excel/self-test";
import { defaultRelayUrl } from "../settings";
import { CheckExcel } from "./CheckExcel";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  buttons: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalS },
  note: { color: tokens.colorNeutralForeground2 },
  connection: {
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalS,
    margin: 0,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: `0 ${tokens.spacingHorizontalXS}` },
});

export interface SettingsScreenProps {
  relayUrl: string;
  /** The relay's connections: several named ones, or none (one connection, as always). */
  connections: ConnectionsView;
  onSave: (relayUrl: string, keys: KeyEntry[]) => void;
  inExcel: boolean;
  /** Runs "Check this Excel"; undefined outside Excel. */
  onCheckExcel?: () => Promise<SelfTestReport>;
}

type CheckState =
  | { state: "idle" }
  | { state: "checking" }
  | { state: "ok"; result: ConnectionCheck }
  | { state: "failed"; error: unknown };

/** Which field a connection problem belongs beside. */
function fieldOf(error: unknown): "url" | "key" | "none" {
  if (error instanceof MissingKeyError) return "key";
  if (!(error instanceof RelayError)) return "none";
  if (error.kind === "unreachable" || error.kind === "invalid-answer") return "url";
  if (error.kind === "unauthorized" || error.kind === "forbidden") return "key";
  return "none";
}

interface KeyDraft {
  key: string;
  remember: boolean;
}

/** The keys being edited, by connection name ("" = the one key of a relay with one connection). */
function draftsFor(connections: ConnectionsView): Map<string, KeyDraft> {
  const names = connections.names.length > 0 ? connections.names : [""];
  return new Map(
    names.map((name) => [
      name,
      { key: currentApiKey(name || undefined) ?? "", remember: isRemembered(name || undefined) },
    ])
  );
}

export function SettingsScreen({
  relayUrl,
  connections,
  onSave,
  inExcel,
  onCheckExcel,
}: SettingsScreenProps): React.JSX.Element {
  const styles = useStyles();
  const [url, setUrl] = React.useState(relayUrl);
  const [drafts, setDrafts] = React.useState(() => draftsFor(connections));
  const [urlProblem, setUrlProblem] = React.useState<string | undefined>(undefined);
  const [saved, setSaved] = React.useState(false);
  // The relay's list arrives after the screen opens: show its connections' keys as soon as it does.
  React.useEffect(() => setDrafts(draftsFor(connections)), [connections]);

  const setDraft = (name: string, change: Partial<KeyDraft>) => {
    setDrafts((current) => {
      const next = new Map(current);
      next.set(name, { ...(current.get(name) ?? { key: "", remember: false }), ...change });
      return next;
    });
    setSaved(false);
  };
  const several = connections.names.length > 0;

  return (
    <>
      <form
        className={styles.form}
        aria-label="Settings"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSave(
            url,
            [...drafts].map(([name, draft]) => ({ ...(name ? { connection: name } : {}), ...draft }))
          );
          setSaved(true);
        }}
      >
        <Field
          label="Relay URL"
          hint={`Where the Billing Usage relay runs. Leave as is to use ${defaultRelayUrl()}.`}
          validationState={urlProblem ? "error" : "none"}
          validationMessage={urlProblem}
        >
          <Input
            type="url"
            value={url}
            onChange={(_, data) => {
              setUrl(data.value);
              setUrlProblem(undefined);
              setSaved(false);
            }}
          />
        </Field>
        {several ? (
          <Text size={200} className={styles.note}>
            This relay reaches {connections.names.length} Infobip connections (accounts or data centres). Each has its
            own API key; enter the keys of those you use.
          </Text>
        ) : null}
        {!connections.known ? <Spinner size="tiny" label="Asking the relay for its Infobip connections…" /> : null}
        {[...drafts]
          .filter(() => connections.known)
          .map(([name, draft]) => (
            <ConnectionKey
              key={name || "default"}
              connection={name || undefined}
              isDefault={name === connections.defaultName}
              url={url}
              draft={draft}
              onChange={(change) => setDraft(name, change)}
              onUrlProblem={setUrlProblem}
            />
          ))}
        <div className={styles.buttons}>
          <Button type="submit" appearance="primary">
            Save settings
          </Button>
        </div>
        {saved ? (
          <Text size={200} className={styles.note}>
            Saved
            {[...drafts]
              .filter(([, draft]) => draft.key.trim())
              .map(
                ([name, draft]) =>
                  ` (key ${maskKey(draft.key.trim())}${name ? ` of ${name}` : ""}${draft.remember ? ", remembered on this computer" : ", for this session"})`
              )
              .join("")}
            .
          </Text>
        ) : null}
      </form>
      <CheckExcel inExcel={inExcel} {...(onCheckExcel ? { run: onCheckExcel } : {})} />
    </>
  );
}

/** One connection's key: the field, "Remember on this computer" and "Test connection". */
function ConnectionKey({
  connection,
  isDefault,
  url,
  draft,
  onChange,
  onUrlProblem,
}: {
  connection: string | undefined;
  isDefault: boolean;
  url: string;
  draft: KeyDraft;
  onChange: (change: Partial<KeyDraft>) => void;
  onUrlProblem: (message: string | undefined) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const [check, setCheck] = React.useState<CheckState>({ state: "idle" });
  const abort = React.useRef<AbortController | undefined>(undefined);
  React.useEffect(() => () => abort.current?.abort(), []);
  // An edited URL or key is not saved yet, and the last connection test no longer speaks for it.
  React.useEffect(() => setCheck({ state: "idle" }), [url, draft.key]);

  const test = async () => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setCheck({ state: "checking" });
    onUrlProblem(undefined);
    try {
      const client = new RelayClient({
        baseUrl: url || defaultRelayUrl(),
        apiKey: () => draft.key.trim() || undefined,
        ...(connection ? { connection } : {}),
      });
      const result = await client.checkConnection(controller.signal);
      setCheck({ state: "ok", result });
    } catch (error) {
      if (controller.signal.aborted) return;
      setCheck({ state: "failed", error });
      const words = errorWords(error, "The connection test failed");
      if (fieldOf(error) === "url") onUrlProblem(`${words.title} ${words.body}`);
    }
  };

  const failure = check.state === "failed" ? errorWords(check.error, "The connection test failed") : undefined;
  const where = check.state === "failed" ? fieldOf(check.error) : "none";
  const message = failure ? `${failure.title} ${failure.body}` : undefined;
  const label = connection ? `API key of ${connection}${isDefault ? " (default)" : ""}` : "Infobip API key";
  const fields = (
    <>
      <Field
        label={label}
        hint="Needs the billing:usage:view scope. Sent only to the relay, in a request header."
        validationState={where === "key" ? "error" : "none"}
        validationMessage={where === "key" ? message : undefined}
      >
        <Input
          type="password"
          autoComplete="off"
          value={draft.key}
          onChange={(_, data) => onChange({ key: data.value })}
        />
      </Field>
      <Field hint="Without this, the key is forgotten when the pane closes. It is never saved in the workbook.">
        <Checkbox
          label="Remember on this computer"
          checked={draft.remember}
          onChange={(_, data) => {
            const checked = data.checked === true;
            onChange({ remember: checked });
            // Unticking forgets the stored key at once; the key stays for this session.
            if (!checked) forgetStoredKey(true, connection);
          }}
        />
      </Field>
      <div className={styles.buttons}>
        <Button
          type="button"
          onClick={() => void test()}
          disabled={check.state === "checking"}
          {...(connection ? { "aria-label": `Test connection ${connection}${isDefault ? " (default)" : ""}` } : {})}
        >
          Test connection
        </Button>
        {check.state === "checking" ? <Spinner size="tiny" label="Checking…" /> : null}
      </div>
      {check.state === "ok" ? (
        <MessageBar intent="success">
          <MessageBarBody>{check.result.message}</MessageBarBody>
        </MessageBar>
      ) : null}
      {failure && where === "none" ? (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>{failure.title}</MessageBarTitle>
            {failure.body}
          </MessageBarBody>
        </MessageBar>
      ) : null}
    </>
  );
  if (!connection) return fields;
  return (
    <fieldset className={styles.connection}>
      <legend className={styles.legend}>Connection {connection}</legend>
      {fields}
    </fieldset>
  );
}
